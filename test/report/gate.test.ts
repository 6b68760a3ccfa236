import { describe, expect, test } from 'vitest';
import { gateFailure } from '../../src/core/parts/report/gate.ts';
import { checkResult, migration, risk } from '../action/check-result.ts';

const passing = checkResult([migration('0001_a')]);
const failingProof = checkResult([
  migration('0001_a', { status: 'not-reversible', message: 'left table a' }),
]);
const errorRisk = checkResult([migration('0001_a', { risks: [risk('drop-column', { severity: 'error' })] })]);
const warningRisk = checkResult([
  migration('0001_a', { risks: [risk('set-not-null', { severity: 'warning' })] }),
]);
const acknowledged = checkResult([
  migration('0001_a', {
    risks: [risk('drop-column', { severity: 'error', acknowledged: 'the column was never read' })],
  }),
]);
const historyProblem = checkResult([migration('0002_b')], {
  historyProblems: [
    {
      kind: 'modified',
      name: '0001_a',
      file: 'db/migrations/0001_a.sql',
      message: '0001_a was already merged; write a new migration instead',
    },
  ],
});

describe('fail-on: when the step fails', () => {
  test('error (the default): a failed proof, a history problem or an unacknowledged error risk', () => {
    expect(gateFailure(passing, 'error')).toBeUndefined();
    expect(gateFailure(failingProof, 'error')).toBe(
      'migration-gate check failed (fail-on: error): 1 migration fails the proof',
    );
    expect(gateFailure(historyProblem, 'error')).toBe(
      'migration-gate check failed (fail-on: error): 1 history problem',
    );
    expect(gateFailure(errorRisk, 'error')).toBe(
      'migration-gate check failed (fail-on: error): 1 unacknowledged risk of severity error',
    );
    expect(gateFailure(warningRisk, 'error')).toBeUndefined();
  });

  test('warning: unacknowledged warnings too', () => {
    expect(gateFailure(warningRisk, 'warning')).toBe(
      'migration-gate check failed (fail-on: warning): 1 unacknowledged warning',
    );
    expect(gateFailure(passing, 'warning')).toBeUndefined();
  });

  test('a risk the migration acknowledges, with a reason, never fails the step', () => {
    expect(gateFailure(acknowledged, 'warning')).toBeUndefined();
  });

  test('a notice is advice: it fails no fail-on', () => {
    const notice = checkResult([
      migration('0001_a', { risks: [risk('prefer-timestamptz', { severity: 'notice' })] }),
    ]);
    expect(gateFailure(notice, 'error')).toBeUndefined();
    expect(gateFailure(notice, 'warning')).toBeUndefined();
  });

  test('never: report only', () => {
    for (const result of [failingProof, historyProblem, errorRisk, warningRisk]) {
      expect(gateFailure(result, 'never')).toBeUndefined();
    }
  });

  test('a merged migration that fails to replay fails the step', () => {
    const result = checkResult([], {
      ok: false,
      replayed: [
        { name: '0001_a', file: 'db/migrations/0001_a.sql', status: 'error', message: 'boom', durationMs: 3 },
      ],
    });
    expect(gateFailure(result, 'error')).toBe(
      'migration-gate check failed (fail-on: error): 1 merged migration fails to replay',
    );
  });
});
