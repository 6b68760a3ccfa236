import { describe, expect, test } from 'vitest';
import { targetOutputs } from '../../src/action/target-outputs.ts';
import type { TargetFiles } from '../../src/action/target-outputs.ts';
import type { TargetReport } from '../../src/action/target-report.ts';

const FILES: TargetFiles = {
  backupDir: '/runner/temp/migration-gate-backups',
  reportJson: '/runner/temp/migration-gate-report.json',
};

/** A target's report as the step builds it; only what the outputs read matters here. */
function report(fields: Partial<TargetReport> & Pick<TargetReport, 'database' | 'outcome'>): TargetReport {
  return {
    ok: !['failed', 'error', 'refused', 'problems', 'skipped'].includes(fields.outcome),
    applied: [],
    rolledBack: [],
    text: '',
    markdown: '',
    problems: [],
    ...fields,
  };
}

const outcomes = (...words: string[]) =>
  words.map((outcome, index) => report({ database: `postgres://db-${index + 1}.example.com/app`, outcome }));

describe('the outputs of apply, rollback and status', () => {
  test('with one target they are its own; the duration is whole milliseconds', () => {
    const applied = report({
      database: 'postgres://db.example.com:5432/app',
      outcome: 'applied',
      applied: ['0003_orders', '0004_invoices'],
      pendingCount: 0,
      current: '0004_invoices',
      backupPath: '/runner/temp/migration-gate-backups/app-2025-01-01.dump',
      durationMs: 8123.4,
    });

    expect(targetOutputs([applied], FILES, 9876.5)).toEqual({
      outcome: 'applied',
      applied: '["0003_orders","0004_invoices"]',
      'rolled-back': '[]',
      'pending-count': '0',
      current: '0004_invoices',
      'backup-path': '/runner/temp/migration-gate-backups/app-2025-01-01.dump',
      duration: '9877',
      results: JSON.stringify([
        {
          database: 'postgres://db.example.com:5432/app',
          ok: true,
          outcome: 'applied',
          applied: ['0003_orders', '0004_invoices'],
          rolledBack: [],
          pendingCount: 0,
          current: '0004_invoices',
          backupPath: '/runner/temp/migration-gate-backups/app-2025-01-01.dump',
          durationMs: 8123.4,
        },
      ]),
      'report-json': FILES.reportJson,
    });
  });

  test('a rollback names the migrations whose downs ran', () => {
    const outputs = targetOutputs(
      [
        report({
          database: 'mysql://db.example.com/app',
          outcome: 'rolled-back',
          rolledBack: ['0004_invoices', '0003_orders'],
          current: '0002_customers',
        }),
      ],
      FILES,
      10,
    );
    expect(outputs['rolled-back']).toBe('["0004_invoices","0003_orders"]');
    expect(outputs.applied).toBe('[]');
    expect(outputs.current).toBe('0002_customers');
  });

  test('what a target does not know is empty in the outputs and null in results', () => {
    const outputs = targetOutputs(
      [report({ database: 'postgres://down.example.com/app', outcome: 'error' })],
      FILES,
      0.4,
    );
    expect(outputs).toMatchObject({
      outcome: 'error',
      'pending-count': '',
      current: '',
      'backup-path': '',
      duration: '0',
    });
    expect(JSON.parse(outputs.results!)).toEqual([
      {
        database: 'postgres://down.example.com/app',
        ok: false,
        outcome: 'error',
        applied: [],
        rolledBack: [],
        pendingCount: null,
        current: null,
        backupPath: null,
        durationMs: null,
      },
    ]);
  });

  test('results has one entry per target, in their order', () => {
    const outputs = targetOutputs(outcomes('applied', 'failed', 'skipped'), FILES, 1);
    expect(
      (JSON.parse(outputs.results!) as { database: string; outcome: string }[]).map((r) => r.outcome),
    ).toEqual(['applied', 'failed', 'skipped']);
  });
});

describe('the outputs with many targets', () => {
  test.each([
    [['applied', 'failed', 'error'], 'failed'],
    [['error', 'refused', 'applied'], 'error'],
    [['up-to-date', 'refused', 'problems'], 'refused'],
    [['ok', 'problems', 'skipped'], 'problems'],
    [['applied', 'skipped'], 'skipped'],
  ])('the outcome is the worst of theirs: %j is %s', (words, worst) => {
    expect(targetOutputs(outcomes(...words), FILES, 1).outcome).toBe(worst);
  });

  test.each([
    [['up-to-date', 'applied', 'up-to-date'], 'applied'],
    [['nothing-to-do', 'rolled-back'], 'rolled-back'],
    [['up-to-date', 'up-to-date'], 'up-to-date'],
    [['ok', 'ok'], 'ok'],
  ])('when every target succeeded, one that changed something says more: %j is %s', (words, outcome) => {
    expect(targetOutputs(outcomes(...words), FILES, 1).outcome).toBe(outcome);
  });

  test('applied gathers the names across targets, each once, in the order first seen', () => {
    const outputs = targetOutputs(
      [
        report({
          database: 'postgres://eu-1/app',
          outcome: 'applied',
          applied: ['0003_orders', '0004_invoices'],
        }),
        report({ database: 'postgres://eu-2/app', outcome: 'up-to-date' }),
        report({
          database: 'postgres://us-1/app',
          outcome: 'applied',
          applied: ['0002_customers', '0003_orders', '0004_invoices'],
        }),
      ],
      FILES,
      1,
    );
    expect(JSON.parse(outputs.applied!)).toEqual(['0003_orders', '0004_invoices', '0002_customers']);
  });

  test('rolled-back gathers names the same way', () => {
    const outputs = targetOutputs(
      [
        report({ database: 'postgres://eu-1/app', outcome: 'rolled-back', rolledBack: ['0004_invoices'] }),
        report({
          database: 'postgres://eu-2/app',
          outcome: 'rolled-back',
          rolledBack: ['0004_invoices', '0003_orders'],
        }),
      ],
      FILES,
      1,
    );
    expect(JSON.parse(outputs['rolled-back']!)).toEqual(['0004_invoices', '0003_orders']);
  });

  test('pending-count is the most pending on any target; targets that could not tell are left out', () => {
    const outputs = targetOutputs(
      [
        report({ database: 'postgres://eu-1/app', outcome: 'ok', pendingCount: 1 }),
        report({ database: 'postgres://eu-2/app', outcome: 'ok', pendingCount: 3 }),
        report({ database: 'postgres://eu-3/app', outcome: 'error' }),
        report({ database: 'postgres://us-1/app', outcome: 'ok', pendingCount: 0 }),
      ],
      FILES,
      1,
    );
    expect(outputs['pending-count']).toBe('3');
  });

  test('current is set only when every target agrees', () => {
    const agree = targetOutputs(
      [
        report({ database: 'postgres://eu-1/app', outcome: 'ok', current: '0004_invoices' }),
        report({ database: 'postgres://eu-2/app', outcome: 'ok', current: '0004_invoices' }),
      ],
      FILES,
      1,
    );
    expect(agree.current).toBe('0004_invoices');

    const disagree = targetOutputs(
      [
        report({ database: 'postgres://eu-1/app', outcome: 'ok', current: '0004_invoices' }),
        report({ database: 'postgres://eu-2/app', outcome: 'ok', current: '0003_orders' }),
      ],
      FILES,
      1,
    );
    expect(disagree.current).toBe('');

    // One target without any applied migration is a disagreement too.
    const oneEmpty = targetOutputs(
      [
        report({ database: 'postgres://eu-1/app', outcome: 'ok', current: '0004_invoices' }),
        report({ database: 'postgres://eu-2/app', outcome: 'ok' }),
      ],
      FILES,
      1,
    );
    expect(oneEmpty.current).toBe('');
  });

  test('backup-path is the backup folder when any target was backed up, else empty', () => {
    const someBackedUp = targetOutputs(
      [
        report({
          database: 'postgres://eu-1/app',
          outcome: 'applied',
          backupPath: `${FILES.backupDir}/target-1/app.dump`,
        }),
        report({ database: 'postgres://eu-2/app', outcome: 'up-to-date' }),
      ],
      FILES,
      1,
    );
    expect(someBackedUp['backup-path']).toBe(FILES.backupDir);

    const noneBackedUp = targetOutputs(outcomes('up-to-date', 'up-to-date'), FILES, 1);
    expect(noneBackedUp['backup-path']).toBe('');
  });

  test('duration is the whole step, not the sum of the targets', () => {
    const outputs = targetOutputs(
      [
        report({ database: 'postgres://eu-1/app', outcome: 'applied', durationMs: 4000 }),
        report({ database: 'postgres://eu-2/app', outcome: 'applied', durationMs: 5000 }),
      ],
      FILES,
      5200.2,
    );
    expect(outputs.duration).toBe('5200');
  });
});
