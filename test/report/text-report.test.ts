import { describe, expect, test } from 'vitest';
import { historyLines, renderCheckText, targetLines } from '../../src/core/parts/report/text-report.ts';
import { checkResult, migration } from './results.ts';

describe('the text report', () => {
  test('a history problem is a FAIL line with its message, the suggested name and the file', () => {
    expect(
      historyLines([
        {
          kind: 'out-of-order',
          name: '0001b_fix',
          file: 'migrations/0001b_fix.ts',
          message: '0001b_fix sorts before 0002_x, which is already merged',
          suggestedName: '0003_fix',
        },
        {
          kind: 'deleted',
          name: '0001_init',
          file: 'migrations/0001_init.ts',
          message: '0001_init was merged and is gone',
        },
      ]),
    ).toEqual([
      'FAIL 0001b_fix  out of order: 0001b_fix sorts before 0002_x, which is already merged; rename it to 0003_fix (migrations/0001b_fix.ts)',
      'FAIL 0001_init  merged migration deleted: 0001_init was merged and is gone (migrations/0001_init.ts)',
    ]);
  });

  test('the target: counts, pending names, unknown ones and each drift on its own line', () => {
    expect(
      targetLines({
        database: 'PostgreSQL 15.20 at postgres://127.0.0.1:5432/app',
        applied: ['0001_a', '0000_hotfix'],
        pending: ['0002_b'],
        unknown: ['0000_hotfix'],
        drift: ['column users.nickname was added on the target'],
      }),
    ).toEqual([
      'target: PostgreSQL 15.20 at postgres://127.0.0.1:5432/app',
      '       2 applied, 1 pending (0002_b)',
      '       applied there but not in the migrations folder: 0000_hotfix',
      '       drift: column users.nickname was added on the target',
    ]);
  });

  test('a target that could not be read shows only why', () => {
    expect(
      targetLines({
        database: 'mysql://127.0.0.1:3306/app',
        applied: [],
        pending: [],
        unknown: [],
        error: 'cannot log in to mysql://127.0.0.1:3306/app as root: wrong password or user',
      }),
    ).toEqual([
      'target: mysql://127.0.0.1:3306/app',
      '       error: cannot log in to mysql://127.0.0.1:3306/app as root: wrong password or user',
    ]);
  });

  test('the whole report lists history problems and the target before the summary', () => {
    const text = renderCheckText(
      checkResult([migration('0002_b')], {
        ok: false,
        historyProblems: [{ kind: 'modified', name: '0001_a', file: 'm/0001_a.ts', message: 'edited' }],
        target: { database: 'db', applied: ['0001_a'], pending: ['0002_b'], unknown: [], drift: [] },
      }),
      'error',
    );
    expect(text.split('\n')).toEqual([
      'ok   0002_b  reversible',
      'FAIL 0001_a  merged migration modified: edited (m/0001_a.ts)',
      'target: db',
      '       1 applied, 1 pending (0002_b)',
      '       no drift',
      '',
      expect.stringMatching(/^FAILED: 1 migration\(s\) proven/),
    ]);
  });
});
