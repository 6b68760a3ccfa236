import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { describeEachEngine } from '../support/engines.ts';
import { checkFixture, proofFixture, resultOf, verdicts } from './check-fixture.ts';

describeEachEngine('check on migrations without a working down', (engine) => {
  describe('a migration with no down', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'missing-down');
    });

    it('reports missing-down and says how to fix it, and fails the gate', () => {
      expect(resultOf(check, '0001_create_events')).toMatchObject({
        status: 'missing-down',
        file: `${proofFixture('missing-down')}/0001_create_events.ts`,
        message:
          "0001_create_events has no down; write one, or declare it irreversible with a reason (export const irreversible = '<reason>')",
        changes: ['table events was added'],
      });
      expect(check.ok).toBe(false);
      expect(check.summary['missing-down']).toBe(1);
    });
  });

  describe('a migration that declares itself irreversible', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'declared-irreversible');
    });

    it('reports declared-irreversible with the reason the migration gives', () => {
      const result = resultOf(check, '0002_drop_legacy_sessions');
      expect(result).toMatchObject({
        status: 'declared-irreversible',
        reason: 'drops legacy data',
        changes: ['table legacy_sessions was removed'],
      });
      expect(result).not.toHaveProperty('message');
    });

    it('passes the gate: an irreversible migration declared on purpose is not a defect', () => {
      expect(verdicts(check)).toEqual([
        '0001_create_legacy_sessions: reversible',
        '0002_drop_legacy_sessions: declared-irreversible',
      ]);
      expect(check.ok).toBe(true);
    });
  });
});
