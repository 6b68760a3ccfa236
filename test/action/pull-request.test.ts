import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AVAILABLE_ENGINES, POSTGRES_URL } from '../support/engines.ts';
import type { FakeGitHub } from './fake-github.ts';
import { startFakeGitHub } from './fake-github.ts';
import type { Files, PullRequestCheckout } from './pull-request-checkout.ts';
import { pullRequestCheckout } from './pull-request-checkout.ts';
import type { ActionRun } from './run-action.ts';
import { runAction } from './run-action.ts';

// The scratch database on the PG server is the fastest throwaway; PGlite stands in without it.
const THROWAWAY = AVAILABLE_ENGINES.includes('postgres') ? 'server' : 'embedded';

const TOKEN = 'ghs_e2eTokenThatMustNeverShow0123456789';
/** The server URL, with a password: trust auth ignores it, the action must still hide it. */
const SERVER_URL = withPassword(POSTGRES_URL, 'pa:ss@word/42');
const SECRETS = [TOKEN, SERVER_URL, 'pa:ss@word/42', encodeURIComponent('pa:ss@word/42')];

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  if (parsed.password === '') parsed.password = encodeURIComponent(password);
  return parsed.href;
}

const MERGED: Files = {
  'db/migrations/0001_create_authors.sql':
    '-- migrate:up\ncreate table authors (id int primary key, name text not null);\n\n-- migrate:down\ndrop table authors;\n',
  'db/migrations/0002_create_books.ts': `import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('books')
    .addColumn('id', 'integer', (column) => column.primaryKey())
    .addColumn('author_id', 'integer', (column) => column.references('authors.id'))
    .addColumn('title', 'text')
    .execute();
  await sql\`create index books_title on books (title)\`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('books').execute();
}
`,
  'db/migrations/README.md': 'Migrations of the shop.\n',
  // The lock timeout apply runs with, so the risk rules know one is in force.
  'migration-gate.config.json': '{ "lockTimeout": "5s" }\n',
};

const REVIEWS = 'db/migrations/0003_create_reviews.sql';

/** The pull request's migration; `down` line 6 is the one that breaks in the failing variant. */
function reviews(down: string): Files {
  return {
    [REVIEWS]: `-- migrate:up
create table reviews (id int primary key, book_id int references books (id), stars int);
create index reviews_book on reviews (book_id);

-- migrate:down
${down}
drop table reviews;
`,
  };
}

const GOOD_PR = reviews('drop index reviews_book;');
const BROKEN_DOWN_PR = reviews('drop index reviews_bok;');

/** One run of the step on the checkout, reporting to the fake GitHub. */
function checkStep(
  checkout: PullRequestCheckout,
  github: FakeGitHub,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction({
    workspace: checkout.workspace,
    with: {
      command: 'check',
      migrations: 'db/migrations',
      dialect: 'postgres',
      throwaway: THROWAWAY,
      'server-url': SERVER_URL,
      'github-token': TOKEN,
      ...inputs,
    },
    env: {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: checkout.eventPath,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '4711',
      ...env,
    },
  });
}

/**
 * No secret in anything the step leaves: its log (but the `::add-mask::` commands, which the
 * runner consumes to mask them), outputs, summary, report files, and what GitHub received.
 */
function expectNoSecretLeft(run: ActionRun, github: FakeGitHub): void {
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const recorded = github.requests.map((request) => `${request.url}\n${request.body}`).join('\n');
  for (const secret of SECRETS) {
    for (const [where, text] of Object.entries({
      log,
      stderr: run.stderr,
      outputs: JSON.stringify(run.outputs),
      summary: run.summary,
      reports: JSON.stringify(run.reports),
      'GitHub requests': recorded,
    })) {
      expect(text.includes(secret), `${where} holds the secret ${secret}`).toBe(false);
    }
  }
  expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
}

function writes(github: FakeGitHub) {
  return github.requests.filter((request) => request.method !== 'GET').map((r) => `${r.method} ${r.url}`);
}

describe('the action on a pull_request event (node dist/index.js, as the runner starts it)', () => {
  test('a reversible new migration: outputs, summary and one sticky comment, created then updated past 100 comments', async () => {
    await using checkout = await pullRequestCheckout(MERGED, GOOD_PR);
    await using github = await startFakeGitHub();
    // 150 comments already: the first listing page holds 100, so the sticky one lands on page 2.
    github.seed(
      7,
      Array.from({ length: 150 }, (_, index) => `Looks good ${index}`),
    );

    const first = await checkStep(checkout, github);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(Object.keys(first.outputs).sort()).toEqual(
      [
        'data-findings',
        'failed-count',
        'new-migrations',
        'plan-markdown',
        'proven-on',
        'report-json',
        'reversible',
        'verdict',
      ].sort(),
    );
    expect(first.outputs).toMatchObject({
      reversible: 'true',
      'failed-count': '0',
      'new-migrations': '["0003_create_reviews"]',
    });
    expect(first.outputs['verdict']).toMatch(/^✅ 1 new migration is reversible/);
    const json = JSON.parse(first.reports.json ?? '{}') as {
      version: number;
      migrations: { name: string; status: string }[];
    };
    expect(json.version).toBe(1);
    expect(json.migrations.map(({ name, status }) => [name, status])).toEqual([
      ['0003_create_reviews', 'reversible'],
    ]);
    expect(first.reports.markdown).toContain(first.outputs['verdict']);
    expect(first.summary).toContain(first.outputs['verdict']);
    expect(first.summary).toContain('0003_create_reviews');

    const marker = '<!-- migration-gate:sticky dir=db/migrations target=postgres -->';
    expect(github.comments(7)).toHaveLength(151);
    const sticky = github.comments(7)[150]!;
    expect(sticky.body.startsWith(`${marker}\n`)).toBe(true);
    expect(sticky.body).toContain(first.outputs['verdict']);
    expect(writes(github)).toEqual(['POST /repos/acme/shop/issues/7/comments']);
    expect(github.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
    expectNoSecretLeft(first, github);

    github.requests.length = 0;
    const second = await checkStep(checkout, github);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(github.comments(7)).toHaveLength(151);
    expect(writes(github)).toEqual([`PATCH /repos/acme/shop/issues/comments/${sticky.id}`]);
    expect(
      github.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.url, github.url).search),
    ).toEqual(['?per_page=100', '?per_page=100&page=2']);
    expect(second.stdout).toContain('updated the pull request comment');
    expectNoSecretLeft(second, github);
  });

  test('a migration whose down fails fails the step, with an error annotation on its file and line', async () => {
    await using checkout = await pullRequestCheckout(MERGED, BROKEN_DOWN_PR);
    await using github = await startFakeGitHub();

    const run = await checkStep(checkout, github);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error title=0003_create_reviews%3A not reversible,file=db\/migrations\/0003_create_reviews\.sql,line=6::down failed: index "reviews_bok" does not exist$/m,
    );
    expect(run.stdout).toMatch(
      /^::error::migration-gate check failed \(fail-on: error\): 1 migration fails the proof$/m,
    );
    expect(run.outputs).toMatchObject({ reversible: 'false', 'failed-count': '1' });
    expect(github.comments(7)).toHaveLength(1);
    expect(github.comments(7)[0]!.body).toContain('❌ 1 of 1 new migration fails the proof');
    expectNoSecretLeft(run, github);
  });

  test('fail-on: never reports the failing migration and lets the step pass', async () => {
    await using checkout = await pullRequestCheckout(MERGED, BROKEN_DOWN_PR);
    await using github = await startFakeGitHub();

    const run = await checkStep(checkout, github, { 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ reversible: 'false', 'failed-count': '1' });
    expect(run.stdout).toMatch(/^::error title=0003_create_reviews%3A not reversible,file=/m);
  });

  test('editing a merged migration fails the step, with an annotation on the edited file', async () => {
    await using checkout = await pullRequestCheckout(MERGED, {
      ...GOOD_PR,
      'db/migrations/0001_create_authors.sql':
        '-- migrate:up\ncreate table authors (id bigint primary key, name text not null);\n\n-- migrate:down\ndrop table authors;\n',
    });
    await using github = await startFakeGitHub();

    const run = await checkStep(checkout, github);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^::error title=0001_create_authors%3A merged migration edited,file=db\/migrations\/0001_create_authors\.sql::0001_create_authors was already merged; write a new migration instead$/m,
    );
    expect(run.outputs['reversible']).toBe('true');
    expect(github.comments(7)[0]!.body).toContain('0001_create_authors was already merged');
  });

  test('a token that may not comment (a pull request from a fork) is a warning, not a failure', async () => {
    await using checkout = await pullRequestCheckout(MERGED, GOOD_PR);
    await using github = await startFakeGitHub();
    github.forbidWrites();

    const run = await checkStep(checkout, github);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^::warning::cannot comment on pull request #7 \(HTTP 403\): the token needs `permissions: pull-requests: write`/m,
    );
    expect(run.summary).toContain('✅');
  });

  test('a pull request that adds no migration gets no comment', async () => {
    await using checkout = await pullRequestCheckout(MERGED, {
      'src/shop.ts': 'export const shop = true;\n',
    });
    await using github = await startFakeGitHub();

    const run = await checkStep(checkout, github);
    expect(run.code).toBe(0);
    expect(run.outputs['new-migrations']).toBe('[]');
    expect(run.stdout).toContain('no new migration and no problem: no pull request comment');
    expect(writes(github)).toEqual([]);
  });

  test('comment: false posts nothing', async () => {
    await using checkout = await pullRequestCheckout(MERGED, GOOD_PR);
    await using github = await startFakeGitHub();

    const run = await checkStep(checkout, github, { comment: 'false' });
    expect(run.code).toBe(0);
    expect(github.requests).toEqual([]);
  });

  test('on a push, every migration is proven and nothing is commented', async () => {
    await using checkout = await pullRequestCheckout(MERGED, GOOD_PR);
    await using github = await startFakeGitHub();
    const push = join(checkout.workspace, '..', 'push.json');
    await writeFile(push, JSON.stringify({ ref: 'refs/heads/main', after: checkout.headSha }));

    const run = await checkStep(checkout, github, {}, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: push });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('event push is not a pull request: proving every migration, no comment');
    expect(run.outputs['new-migrations']).toBe('[]');
    // All reversible; books.author_id references authors without an index (foreign-key-without-index).
    expect(run.outputs['verdict']).toMatch(/^⚠️ 3 migrations are reversible; 1 risk needs a look/);
    expect(github.requests).toEqual([]);
  });

  test('a base commit missing from the checkout fails with the fix: fetch-depth 0', async () => {
    await using checkout = await pullRequestCheckout(MERGED, GOOD_PR);
    await using github = await startFakeGitHub();
    const missing = 'f'.repeat(40);
    const event = join(checkout.workspace, '..', 'shallow-event.json');
    await writeFile(
      event,
      JSON.stringify({
        number: 7,
        pull_request: { number: 7, base: { sha: missing }, head: { sha: checkout.headSha } },
      }),
    );

    const run = await checkStep(checkout, github, {}, { GITHUB_EVENT_PATH: event });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      `::error title=migration-gate::the pull request's base commit ${missing} is not in this checkout: set fetch-depth: 0 on actions/checkout`,
    );
    expect(github.requests).toEqual([]);
  });

  describe('invalid inputs fail before any database or GitHub work, naming the input', () => {
    const cases: [title: string, inputs: Record<string, string>, message: string][] = [
      [
        'an unknown command',
        { command: 'nonsense' },
        'input command must be one of check, apply, rollback, status, comment, not nonsense',
      ],
      [
        'fail-on: maybe',
        { 'fail-on': 'maybe' },
        'input fail-on must be one of error, warning, never, not maybe',
      ],
      ['comment: yes', { comment: 'yes' }, 'input comment must be true or false, not yes'],
      [
        'an unknown dialect',
        { dialect: 'oracle' },
        'input dialect must be postgres or mysql (mariadb), not oracle',
      ],
      [
        'a server URL of another dialect (its password masked)',
        { 'server-url': 'mysql://root:pa%3Ass%40word%2F42@127.0.0.1:3306' },
        'input server-url is a mysql URL (mysql://127.0.0.1:3306) but dialect is postgres',
      ],
      [
        'apply without a target',
        { command: 'apply' },
        'command apply needs input target-url (or targets), from a secret',
      ],
    ];
    for (const [title, inputs, message] of cases) {
      test(title, async () => {
        await using checkout = await pullRequestCheckout(MERGED, GOOD_PR);
        await using github = await startFakeGitHub();

        const run = await checkStep(checkout, github, inputs);
        expect(run.code).toBe(2);
        expect(run.stdout).toContain(`::error title=migration-gate::${message}`);
        expect(run.stdout).not.toContain('Proving migrations');
        expect(github.requests).toEqual([]);
        expectNoSecretLeft(run, github);
      });
    }
  });
});
