import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { describeEachEngine } from '../support/engines.ts';
import { checkFixture, resultOf, verdicts } from './check-fixture.ts';

describeEachEngine('check in sequence mode', (engine) => {
  describe('downs written to run only as a whole', () => {
    let sequence: CheckResult;
    let step: CheckResult;
    beforeAll(async () => {
      sequence = await checkFixture(engine, 'sequence-whole', 'sequence');
      step = await checkFixture(engine, 'sequence-whole', 'step');
    });

    it('passes in sequence mode: all downs in reverse undo all ups', () => {
      expect(sequence.mode).toBe('sequence');
      expect(verdicts(sequence)).toEqual([
        '0001_create_users: reversible',
        '0002_create_posts: reversible',
        '0003_create_comments: reversible',
      ]);
      expect(sequence.ok).toBe(true);
    });

    it('fails in step mode, where the down of 0003 leaves the table that the down of 0002 drops', () => {
      expect(resultOf(step, '0003_create_comments')).toMatchObject({
        status: 'not-reversible',
        residue: ['left table comments'],
      });
      expect(step.ok).toBe(false);
    });
  });

  describe('a sequence whose downs leave an index behind', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'sequence-leftover', 'sequence');
    });

    it('charges the leftover index to the migration that created it', () => {
      expect(resultOf(check, '0002_create_sessions')).toMatchObject({
        status: 'not-reversible',
        message: 'the downs in sequence do not undo the ups',
        residue: ['left index users_created_idx on users'],
      });
      expect(check.ok).toBe(false);
    });

    it('keeps the other migrations of the sequence reversible, with a note about the residue', () => {
      expect(resultOf(check, '0003_create_audit_log')).toMatchObject({
        status: 'reversible',
        notes: ['proven as part of a sequence whose other migrations left residue'],
      });
    });

    it('proves the migrations after a declared-irreversible baseline as their own sequence', () => {
      // The downs cannot cross the baseline, so the index it holds survives them all.
      expect(verdicts(check)).toEqual([
        '0001_baseline: declared-irreversible',
        '0002_create_sessions: not-reversible',
        '0003_create_audit_log: reversible',
      ]);
    });
  });
});
