import { describe, expect, test } from 'vitest';
import type { Risk } from '../../src/core/model/risk.ts';
import { checkVerdict, renderCheckMarkdown } from '../../src/core/parts/report/markdown-report.ts';
import { markdownStructure, tableRows } from './markdown-shape.ts';
import { checkResult, migration } from './results.ts';

const blockingIndex: Risk = {
  rule: 'create-index-blocking',
  severity: 'error',
  what: 'creates index orders_total_idx on orders without CONCURRENTLY',
  why: 'blocks writes to orders while the index builds',
  instead: 'CREATE INDEX CONCURRENTLY, in a migration outside a transaction',
  statement: 0,
  evidence: ['took an ACCESS EXCLUSIVE lock on orders'],
};
const acknowledgedDrop: Risk = {
  rule: 'drop-column',
  severity: 'error',
  what: 'drops column users.legacy_id',
  why: 'loses its data',
  instead: 'stop reading it first, drop it in a later release',
  acknowledged: 'nothing reads it since v2',
};

const merged = [
  { name: '0001_init', file: 'migrations/0001_init.ts', status: 'applied' as const, durationMs: 40 },
];

describe('checkVerdict: the whole check in one line', () => {
  test('new migrations that are all reversible, with risks judged and none found', () => {
    const result = checkResult([migration('0002_a', { risks: [] }), migration('0003_b', { risks: [] })], {
      replayed: merged,
    });
    expect(checkVerdict(result)).toBe('✅ 2 new migrations are reversible, no risks');
  });

  test('a failure and open risks: how many fail out of how many, and how many risks need a look', () => {
    const result = checkResult(
      [
        migration('0002_a', { risks: [blockingIndex] }),
        migration('0003_b', { status: 'not-reversible', risks: [blockingIndex, acknowledgedDrop] }),
        migration('0004_c', { risks: [] }),
      ],
      { replayed: merged },
    );
    expect(checkVerdict(result)).toBe('❌ 1 of 3 new migrations fails the proof; 2 risks need a look');
  });

  test('without a base every migration is under proof, so none is called new; unjudged risks are not mentioned', () => {
    expect(checkVerdict(checkResult([migration('0001_a')]))).toBe('✅ 1 migration is reversible');
  });

  test('passing with open risks the gate lets through is a warning, not a pass', () => {
    const result = checkResult([migration('0001_a', { risks: [blockingIndex] })]);
    expect(checkVerdict(result, 'never')).toBe('⚠️ 1 migration is reversible; 1 risk needs a look');
    const warning = checkResult([
      migration('0001_a', { risks: [{ ...blockingIndex, severity: 'warning' }] }),
    ]);
    expect(checkVerdict(warning, 'error')).toBe('⚠️ 1 migration is reversible; 1 risk needs a look');
  });

  test('an open risk that fails the gate under fail-on fails the verdict, as it fails the step', () => {
    const result = checkResult([migration('0001_a', { risks: [blockingIndex] })]);
    expect(checkVerdict(result)).toBe('❌ 1 migration is reversible; 1 risk needs a look');
    const warning = checkResult([
      migration('0001_a', { risks: [{ ...blockingIndex, severity: 'warning' }] }),
    ]);
    expect(checkVerdict(warning, 'warning')).toBe('❌ 1 migration is reversible; 1 risk needs a look');
  });

  test('acknowledged risks are counted apart and do not need a look', () => {
    expect(checkVerdict(checkResult([migration('0001_a', { risks: [acknowledgedDrop] })]))).toBe(
      '✅ 1 migration is reversible, no risks but 1 acknowledged',
    );
  });

  test('a migration declared irreversible passes, and the verdict says so', () => {
    const result = checkResult([
      migration('0001_a'),
      migration('0002_b', { status: 'declared-irreversible', reason: 'drops legacy data' }),
    ]);
    expect(checkVerdict(result)).toBe('✅ 2 migrations pass the proof (1 declared irreversible)');
  });

  test('history problems and replay failures fail the gate even when the proof passes', () => {
    const result = checkResult([migration('0003_a')], {
      ok: false,
      replayed: [{ ...merged[0]!, status: 'error', message: 'boom' }],
      historyProblems: [
        {
          kind: 'modified',
          name: '0001_init',
          file: 'migrations/0001_init.ts',
          message: 'edited after merge',
        },
      ],
    });
    expect(checkVerdict(result)).toBe(
      '❌ 1 new migration is reversible; 1 history problem; 1 merged migration fails to replay',
    );
  });

  test('nothing new to prove', () => {
    expect(checkVerdict(checkResult([], { replayed: merged, historyProblems: [] }))).toBe(
      '✅ No new migrations to prove',
    );
  });
});

describe('renderCheckMarkdown', () => {
  const failing = migration('0003_index_orders_total', {
    status: 'not-reversible',
    file: 'migrations/0003_index_orders_total.sql',
    line: 3,
    message: 'down of 0003_index_orders_total does not undo its up',
    residue: ['left index orders_total_idx on orders'],
    changes: ['index orders_total_idx on orders was added'],
    notes: ['column orders.total moved (not part of the verdict)'],
    timings: { up: 7.4, down: 2.2 },
    statements: {
      up: [{ sql: 'create index orders_total_idx on orders (total)', durationMs: 2 }],
      down: [],
    },
    risks: [blockingIndex, acknowledgedDrop],
  });
  const passing = migration('0002_create_orders', {
    changes: ['table orders was added'],
    statements: {
      up: [
        { sql: 'create table orders (id serial primary key)', durationMs: 3 },
        { sql: 'alter table orders add column total integer;', durationMs: 1 },
      ],
      down: [{ sql: 'drop table orders', durationMs: 1 }],
    },
    risks: [],
  });
  const result = checkResult([passing, failing], { replayed: merged });

  test('opens with the verdict, then a table row per migration: status word, risks, up statements, time', () => {
    const markdown = renderCheckMarkdown(result);
    expect(markdown.split('\n')[0]).toBe('**❌ 1 of 2 new migrations fails the proof; 1 risk needs a look**');
    expect(tableRows(markdown)).toEqual([
      ['Migration', 'Reversible', 'Risks', 'Statements', 'Time'],
      ['---', '---', '---', '---:', '---:'],
      ['<code>0002_create_orders</code>', '✅ reversible', 'none', '2', '25 ms'],
      ['<code>0003_index_orders_total</code>', '❌ not reversible', '🛑 1 + 1 acknowledged', '1', '10 ms'],
    ]);
  });

  test('a title goes above the verdict as a heading', () => {
    expect(renderCheckMarkdown(result, { title: 'migration-gate · production' })).toMatch(
      /^### migration-gate · production\n\n\*\*❌/,
    );
  });

  test('each migration gets a collapsible block with its up and down SQL in sql fences; failing ones are open', () => {
    const markdown = renderCheckMarkdown(result);
    expect(markdown).toContain(
      '<details><summary>✅ <code>0002_create_orders</code>: reversible</summary>\n\n' +
        '**Schema changes of the up:**\n- table orders was added\n\n' +
        '**Up SQL** (2 statements):\n\n```sql\ncreate table orders (id serial primary key);\n\n' +
        'alter table orders add column total integer;\n```\n\n' +
        '**Down SQL** (1 statement):\n\n```sql\ndrop table orders;\n```\n\n</details>',
    );
    expect(markdown).toContain(
      '<details open><summary>❌ <code>0003_index_orders_total</code>: not reversible · 1 risk</summary>',
    );
  });

  test('a failing block says why with file:line, what the down left, the risks with their reasoning, and notes', () => {
    const markdown = renderCheckMarkdown(result);
    expect(markdown).toContain(
      '**Why:** down of 0003_index_orders_total does not undo its up (<code>migrations/0003_index_orders_total.sql:3</code>)',
    );
    expect(markdown).toContain('**What the down left different:**\n- left index orders_total_idx on orders');
    expect(markdown).toContain(
      '- 🛑 <code>create-index-blocking</code>: creates index orders_total_idx on orders without CONCURRENTLY\n' +
        '  - why: blocks writes to orders while the index builds\n' +
        '  - instead: CREATE INDEX CONCURRENTLY, in a migration outside a transaction\n' +
        '  - seen on the throwaway database: took an ACCESS EXCLUSIVE lock on orders\n' +
        '  - statement 1 of the up',
    );
    expect(markdown).toContain(
      '- ☑️ <code>drop-column</code>: drops column users.legacy_id (acknowledged)\n' +
        '  - why: loses its data\n' +
        '  - instead: stop reading it first, drop it in a later release\n' +
        '  - acknowledged: nothing reads it since v2',
    );
    expect(markdown).toContain('**Down SQL:** none');
    expect(markdown).toContain('**Notes:**\n- column orders.total moved (not part of the verdict)');
  });

  test('a notice gets its own mark, leaves the verdict a pass, and the legend says what each mark means', () => {
    const notice: Risk = {
      rule: 'prefer-timestamptz',
      severity: 'notice',
      what: 'adds column orders.placed_at of type timestamp without time zone',
      why: 'a timestamp without time zone is read in whatever zone the session has',
      instead: 'timestamptz',
    };
    const markdown = renderCheckMarkdown(checkResult([migration('0001_a', { risks: [notice] })]));
    expect(markdown.split('\n')[0]).toBe('**✅ 1 migration is reversible, no risks but 1 notice**');
    expect(tableRows(markdown)[2]?.[2]).toBe('ℹ️ 1');
    expect(markdown).toContain('- ℹ️ <code>prefer-timestamptz</code>: adds column orders.placed_at');
    expect(markdown).toContain(
      '<sub>🛑 error: fails `fail-on: error` · ⚠️ warning: fails `fail-on: warning` · ℹ️ notice: advice, never fails · ☑️ acknowledged by the migration</sub>',
    );
    expect(renderCheckMarkdown(checkResult([migration('0001_a', { risks: [] })]))).not.toContain('notice');
  });

  test('in the SQL, a comment marks the statement a risk blames and the statement the database refused', () => {
    const markdown = renderCheckMarkdown(
      checkResult([
        migration('0001_a', {
          status: 'error',
          statements: {
            up: [
              { sql: 'create index i on t (c)', durationMs: 1 },
              { sql: 'alter table t add column d int not nul', durationMs: 0, failed: true },
            ],
            down: [],
          },
          risks: [blockingIndex],
        }),
      ]),
    );
    expect(markdown).toContain(
      '```sql\n-- 🛑 create-index-blocking\ncreate index i on t (c);\n\n' +
        '-- ❌ the database refused this statement\nalter table t add column d int not nul;\n```',
    );
  });

  test('SQL that was not captured is said to be so', () => {
    const markdown = renderCheckMarkdown(checkResult([migration('0001_a')]));
    expect(markdown).toContain('**Up SQL:** not captured');
    expect(markdown).toContain('**Down SQL:** not captured');
  });

  test('a migration without a down shows no down SQL at all', () => {
    const markdown = renderCheckMarkdown(
      checkResult([
        migration('0001_a', {
          status: 'missing-down',
          message: '0001_a has no down',
          statements: { up: [], down: [] },
        }),
      ]),
    );
    expect(markdown).toContain('**Up SQL:** none');
    expect(markdown).not.toContain('Down SQL');
  });

  test('history problems come before the table, in a caution alert, with the suggested name', () => {
    const markdown = renderCheckMarkdown(
      checkResult([passing], {
        ok: false,
        replayed: merged,
        historyProblems: [
          {
            kind: 'out-of-order',
            name: '0001b_fix',
            file: 'migrations/0001b_fix.ts',
            message: '0001b_fix sorts before 0002_create_orders, which is already merged',
            suggestedName: '0003_fix',
          },
          {
            kind: 'modified',
            name: '0001_init',
            file: 'migrations/0001_init.ts',
            message: '0001_init was already merged; write a new migration instead',
          },
        ],
      }),
    );
    const alert =
      '> [!CAUTION]\n> **This change edits the migration history.**\n' +
      '> - **out of order** <code>0001b_fix</code>: 0001b_fix sorts before 0002_create_orders, which is already merged; rename it to <code>0003_fix</code> (migrations/0001b_fix.ts)\n' +
      '> - **merged migration modified** <code>0001_init</code>: 0001_init was already merged; write a new migration instead (migrations/0001_init.ts)';
    expect(markdown).toContain(alert);
    expect(markdown.indexOf(alert)).toBeLessThan(markdown.indexOf('| Migration |'));
  });

  test('merged migrations replayed are one line; a failed replay is listed above the table', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ ...merged[0]!, name: `m${i}`, durationMs: 2 }));
    expect(renderCheckMarkdown(checkResult([passing], { replayed: many }))).toContain(
      '300 merged migrations replayed in 600 ms.',
    );
    const broken = [
      { ...merged[0]!, status: 'error' as const, line: 4, message: 'relation "x" does not exist' },
    ];
    const markdown = renderCheckMarkdown(checkResult([passing], { ok: false, replayed: broken }));
    expect(markdown).toContain(
      '> [!CAUTION]\n> **A merged migration fails to replay.**\n' +
        '> - <code>0001_init</code> (migrations/0001_init.ts:4): relation "x" does not exist',
    );
    expect(markdown).toContain('1 merged migration replayed in 40 ms, 1 failed.');
  });

  test('the target: pending migrations, unknown ones and the drift in words', () => {
    const markdown = renderCheckMarkdown(
      checkResult([passing], {
        target: {
          database: 'PostgreSQL 16.4 at postgres://db.example.com:5432/app',
          applied: ['0001_init', '0000_hotfix'],
          pending: ['0002_create_orders'],
          unknown: ['0000_hotfix'],
          drift: ['column users.nickname was added on the target'],
        },
      }),
    );
    expect(markdown).toContain(
      '**Target:** PostgreSQL 16.4 at postgres://db.example.com:5432/app\n' +
        '- 1 pending (2 applied): <code>0002_create_orders</code>\n' +
        '- ⚠️ applied on the target but not in the migrations folder: <code>0000_hotfix</code>\n' +
        '- ⚠️ drifted from its applied migrations:\n' +
        '  - column users.nickname was added on the target',
    );
  });

  test('a target without drift says so; one that could not be read shows only why', () => {
    const clean = renderCheckMarkdown(
      checkResult([passing], {
        target: {
          database: 'MariaDB 10.11.19 at mysql://db:3306/app',
          applied: ['a'],
          pending: [],
          unknown: [],
          drift: [],
        },
      }),
    );
    expect(clean).toContain(
      '- nothing pending (1 applied)\n- no drift: its schema is what its applied migrations make',
    );
    const unread = renderCheckMarkdown(
      checkResult([passing], {
        target: {
          database: 'postgres://db:5432/app',
          applied: [],
          pending: [],
          unknown: [],
          error: 'postgres://db:5432/app did not answer within 8 s',
        },
      }),
    );
    expect(unread).toContain(
      '**Target:** postgres://db:5432/app\n- ⚠️ postgres://db:5432/app did not answer within 8 s',
    );
    expect(unread).not.toContain('pending');
  });
});

describe('renderCheckMarkdown: user data cannot break the markdown', () => {
  const hostile = migration('0001_<!-- migration-gate: prod --> | *x*', {
    status: 'error',
    message: 'up failed: <script>alert(1)</script> | `tick` [link](http://x) \n second line',
    residue: ['left table <b>x</b>'],
    statements: {
      up: [{ sql: "select '```' as fence, '</details>' as html, '<!-- x -->' as comment", durationMs: 1 }],
      down: [],
    },
  });
  const markdown = renderCheckMarkdown(checkResult([hostile]), { marker: '<!-- migration-gate: prod -->' });

  test('nothing but the caller’s marker contains an HTML comment opener', () => {
    expect(markdown.split('<!--')).toHaveLength(2);
    expect(markdown.startsWith('<!-- migration-gate: prod -->\n\n')).toBe(true);
  });

  test('names and messages are escaped: no raw HTML, no extra table cells, one line', () => {
    expect(markdown).not.toMatch(/<script>|<b>/);
    expect(markdown).toContain(
      '**Why:** up failed: &lt;script&gt;alert(1)&lt;/script&gt; &#124; \\`tick\\` \\[link\\](http://x) second line',
    );
    const rows = tableRows(markdown);
    expect(rows.every((row) => row.length === 5)).toBe(true);
    expect(rows[2]![0]).toBe('<code>0001\\_&lt;!-- migration-gate: prod --&gt; &#124; \\*x\\*</code>');
  });

  test('text that would open a heading or a list at the start of an item stays text', () => {
    const markdown = renderCheckMarkdown(
      checkResult([migration('0001_a', { changes: ['# not a heading', '- not a list', '1. not a list'] })]),
    );
    expect(markdown).toContain('- \\# not a heading\n- \\- not a list\n- 1\\. not a list');
  });

  test('SQL containing a fence gets a longer fence, so </details> in it stays code', () => {
    expect(markdown).toContain(
      "````sql\nselect '```' as fence, '</details>' as html, '<!-\u200b- x -->' as comment;\n````",
    );
    expect(markdownStructure(markdown)).toEqual({ unclosedFence: false, openDetails: 0 });
  });
});

describe('renderCheckMarkdown: fitting GitHub’s comment limit', () => {
  const bigSql = (rows: number) => ({
    up: Array.from({ length: rows }, (_, i) => ({
      sql: `insert into lookup (id, label) values (${i}, 'label number ${i}')`,
      durationMs: 0,
    })),
    down: [{ sql: 'delete from lookup', durationMs: 0 }],
  });
  const result = checkResult(
    [
      migration('0001_small', { statements: bigSql(2) }),
      migration('0002_seed_huge', { statements: bigSql(3000) }),
      migration('0003_broken', {
        status: 'not-reversible',
        message: 'down of 0003_broken does not undo its up',
        residue: ['left table audit'],
        statements: bigSql(400),
      }),
    ],
    {
      ok: false,
      replayed: merged,
      historyProblems: [
        { kind: 'deleted', name: '0000_gone', file: 'migrations/0000_gone.ts', message: 'deleted' },
      ],
    },
  );

  test('a report that fits is not touched', () => {
    const full = renderCheckMarkdown(result);
    expect(renderCheckMarkdown(result, { maxLength: full.length })).toBe(full);
  });

  test('the largest details go first: shortened to verdict and residue, keeping the verdict, history and table', () => {
    const full = renderCheckMarkdown(result);
    const fitted = renderCheckMarkdown(result, {
      maxLength: 30_000,
      fullReportHint: 'Full report in the job summary.',
      marker: '<!-- migration-gate -->',
    });
    expect(full.length).toBeGreaterThan(100_000);
    expect(fitted.length).toBeLessThanOrEqual(30_000);
    expect(fitted).toMatch(
      /^<!-- migration-gate -->\n\n\*\*❌ 1 of 3 new migrations fails the proof; 1 history problem\*\*/,
    );
    expect(fitted).toContain('**merged migration deleted** <code>0000_gone</code>');
    expect(tableRows(fitted)).toHaveLength(5);
    expect(fitted).toContain(
      '_ℹ️ Some details were shortened or left out to fit. Full report in the job summary._',
    );
    expect(fitted).toContain(
      '<details><summary>✅ <code>0002_seed_huge</code>: reversible</summary>\n\n_SQL and further details left out to fit._',
    );
    expect(fitted).toContain("values (399, 'label number 399')");
    expect(fitted).toContain("values (1, 'label number 1')");
    expect(markdownStructure(fitted)).toEqual({ unclosedFence: false, openDetails: 0 });
  });

  test('when shortening is not enough, whole blocks are left out, never cut inside', () => {
    const fitted = renderCheckMarkdown(result, { maxLength: 2_000 });
    expect(fitted.length).toBeLessThanOrEqual(2_000);
    expect(markdownStructure(fitted)).toEqual({ unclosedFence: false, openDetails: 0 });
    expect(fitted).toContain('**merged migration deleted**');
    expect(tableRows(fitted)).toHaveLength(5);
    expect(fitted).toContain('_ℹ️ Some details were shortened or left out to fit._');
    expect(fitted).toContain('<sub>Proved in step mode');
  });

  test('an overview longer than the limit keeps whole lines from the top', () => {
    const many = checkResult(
      Array.from({ length: 2000 }, (_, i) => migration(`m${String(i).padStart(4, '0')}`)),
    );
    const fitted = renderCheckMarkdown(many, { maxLength: 10_000 });
    expect(fitted.length).toBeLessThanOrEqual(10_000);
    expect(fitted.split('\n')[0]).toBe('**✅ 2000 migrations are reversible**');
    expect(fitted).not.toContain('<details');
    expect(tableRows(fitted).every((row) => row.length === 5)).toBe(true);
  });
});
