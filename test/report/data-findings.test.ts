import { describe, expect, test } from 'vitest';
import { checkOutputs } from '../../src/action/outputs.ts';
import type { DataFinding } from '../../src/core/model/data-finding.ts';
import { gateFailure } from '../../src/core/parts/report/gate.ts';
import { renderCheckJson } from '../../src/core/parts/report/json-report.ts';
import { renderCheckMarkdown } from '../../src/core/parts/report/markdown-report.ts';
import { renderCheckText } from '../../src/core/parts/report/text-report.ts';
import { checkResult, migration } from './results.ts';

const FAILS: DataFinding = {
  id: 'fails-on-existing-rows',
  severity: 'error',
  direction: 'up',
  what: 'up of 0002_username fails when the tables hold rows (it passes on empty tables)',
  rows: 'users.username holds NULL',
  statement: 'alter table users\n  alter column username set not null',
  error: 'column "username" of relation "users" contains null values',
  instead: 'backfill the NULLs first',
};

const LOSES: DataFinding = {
  id: 'down-loses-rows',
  severity: 'warning',
  direction: 'down',
  what: 'down of 0003_bio does not bring back users.bio: 8 of 8 values lost',
  instead: 'keep a copy',
};

const RESULT = checkResult(
  [migration('0002_username', { dataFindings: [FAILS] }), migration('0003_bio', { dataFindings: [LOSES] })],
  { ok: false },
);

describe('data findings in the reports', () => {
  test('text: a FAIL line for the step that fails on rows, the finding with its rows, statement and safer way', () => {
    const text = renderCheckText(RESULT, 'error');
    expect(text).toContain('FAIL 0002_username  reversible');
    expect(text).toContain(
      [
        '       data (error) fails-on-existing-rows: up of 0002_username fails when the tables hold rows (it passes on empty tables)',
        '           rows: users.username holds NULL',
        '           statement: alter table users alter column username set not null',
        '           error: column "username" of relation "users" contains null values',
        '           instead: backfill the NULLs first',
      ].join('\n'),
    );
    expect(text).toContain('ok   0003_bio  reversible');
    expect(text).toMatch(/; 2 data finding\(s\) \(1 error\) in /);
  });

  test('the gate: an error finding fails at the default level, a warning only with fail-on warning', () => {
    expect(gateFailure(RESULT, 'error')).toMatch(/1 data finding of severity error/);
    const onlyWarning = checkResult([migration('0003_bio', { dataFindings: [LOSES] })]);
    expect(gateFailure(onlyWarning, 'error')).toBeUndefined();
    expect(gateFailure(onlyWarning, 'warning')).toMatch(/1 data warning/);
  });

  test('markdown: the migration is marked failing, its details open with the findings', () => {
    const markdown = renderCheckMarkdown(RESULT, { failOn: 'error' });
    expect(markdown).toContain('✅ reversible · 🛑 fails on existing rows');
    expect(markdown).toContain(
      '<details open><summary>❌ <code>0002_username</code>: reversible · 1 data finding',
    );
    expect(markdown).toContain('**With rows in the tables:**');
    expect(markdown).toContain('- 🛑 <code>fails-on-existing-rows</code>: up of 0002_username fails');
    expect(markdown).toMatch(
      /^\*\*❌ 2 migrations are reversible; 1 fails on existing rows; 1 down loses rows\*\*/,
    );
    expect(markdown).toContain('  - rows: users.username holds NULL');
  });

  test('JSON and the action outputs carry them with their stable ids', () => {
    const json = JSON.parse(renderCheckJson(RESULT, 'error')) as {
      migrations: { dataFindings?: DataFinding[] }[];
    };
    expect(json.migrations.map((one) => one.dataFindings?.map((finding) => finding.id))).toEqual([
      ['fails-on-existing-rows'],
      ['down-loses-rows'],
    ]);
    const outputs = checkOutputs(RESULT, { json: 'r.json', markdown: 'r.md' }, 'error');
    expect(JSON.parse(outputs['data-findings']!)).toEqual([
      { migration: '0002_username', id: 'fails-on-existing-rows', severity: 'error', what: FAILS.what },
      { migration: '0003_bio', id: 'down-loses-rows', severity: 'warning', what: LOSES.what },
    ]);
  });
});
