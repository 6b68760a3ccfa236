import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { describeEachEngine } from '../support/engines.ts';
import { checkFixture, proofFixture, resultOf, verdicts } from './check-fixture.ts';

describeEachEngine('check on migrations that fail', (engine) => {
  describe('an up that cannot run twice', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'up-twice');
    });

    it('reports an up that fails when run again after a schema-clean down, at the failing line', () => {
      const result = resultOf(check, '0002_add_theme_setting');
      expect(result).toMatchObject({
        status: 'not-reversible',
        file: `${proofFixture('up-twice')}/0002_add_theme_setting.ts`,
        line: 5,
      });
      expect(result.message).toMatch(/^up failed when run again after down: /);
      // The row the first up inserted collides with the second: the database says so.
      expect(result.message).toMatch(/duplicate/i);
      expect(result).not.toHaveProperty('residue');
    });

    it('fails the gate', () => {
      expect(check.ok).toBe(false);
    });
  });

  describe('ups that throw', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'up-throws');
    });

    it('reports a TypeScript up that throws as an error at the throwing line of its file', () => {
      expect(resultOf(check, '0001_create_accounts')).toMatchObject({
        status: 'error',
        file: `${proofFixture('up-throws')}/0001_create_accounts.ts`,
        line: 11,
        message: 'up failed: boom',
      });
    });

    it("reports a SQL up whose second statement fails as an error at that statement's line", () => {
      const result = resultOf(check, '0002_create_invoices');
      expect(result).toMatchObject({
        status: 'error',
        file: `${proofFixture('up-throws')}/0002_create_invoices.up.sql`,
        line: 5,
      });
      expect(result.message).toMatch(/^up failed: .*invoice_lines/);
    });

    it('undoes a half-run up (on MariaDB its first statement had committed) and goes on proving the rest', () => {
      expect(verdicts(check)).toEqual([
        '0001_create_accounts: error',
        '0002_create_invoices: error',
        '0003_create_billing: reversible',
      ]);
      expect(check.ok).toBe(false);
      expect(check.summary.error).toBe(2);
    });
  });

  describe('a folder with several broken migrations', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'every-broken');
    });

    it('reports every broken migration in one run, and proves those built on their objects', () => {
      expect(verdicts(check)).toEqual([
        '0001_create_users: reversible',
        '0002_create_posts: not-reversible',
        '0003_widen_posts_title_idx: reversible',
        '0004_create_comments: not-reversible',
        '0005_create_post_stats: reversible',
      ]);
      expect(check.summary).toMatchObject({ reversible: 3, 'not-reversible': 2, proven: 5 });
    });

    it('reports a down that fails half-way at its failing line, and restores the state after its up', () => {
      // On MariaDB the down's first statement (drop the index) commits before the second
      // fails; 0003 drops that index, so it only passes when the state was rebuilt.
      expect(resultOf(check, '0002_create_posts')).toMatchObject({
        file: `${proofFixture('every-broken')}/0002_create_posts.ts`,
        line: 19,
      });
      expect(resultOf(check, '0002_create_posts').message).toMatch(/^down failed: .*post\b/);
    });

    it("reports a down's residue and restores the state after its up for the next migration", () => {
      // 0005 reads both the comments table and the counter column: it passes only when the
      // state after 0004's up is back, not the half-undone one.
      expect(resultOf(check, '0004_create_comments').residue).toEqual(['left column posts.comment_count']);
    });
  });

  describe('downs shifted by one', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'shifted-downs');
    });

    it('explains a down that drops what the next migration creates, and says the downs look shifted', () => {
      const result = resultOf(check, '0002_create_invoices');
      expect(result).toMatchObject({ status: 'not-reversible', line: 5 });
      expect(result.message).toMatch(/^down failed: /);
      expect(result.message).toContain(
        'down of 0002_create_invoices drops payments, which 0003_create_payments creates: the downs look shifted by one',
      );
    });

    it('explains a down that drops what the previous migration created, and what it left', () => {
      expect(resultOf(check, '0003_create_payments')).toMatchObject({
        status: 'not-reversible',
        residue: [
          'down of 0003_create_payments drops invoices, which 0002_create_invoices creates: the downs look shifted by one',
          'left table payments',
        ],
      });
    });

    it('proves the first migration, whose down is its own', () => {
      expect(resultOf(check, '0001_create_customers').status).toBe('reversible');
    });
  });

  describe('an up that drops what the previous migration created, and a down that does not bring it back', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'up-drops-down-forgets');
    });

    it('says the up dropped it and the down does not recreate it, never that the downs look shifted', () => {
      const result = resultOf(check, '0003_drop_legacy_invoices');
      expect(result).toMatchObject({
        status: 'not-reversible',
        residue: [
          'up of 0003_drop_legacy_invoices drops legacy_invoices, which 0002_create_legacy_invoices creates, and its down does not recreate it',
        ],
      });
    });

    it('explains a down that fails on the object its own up dropped the same way', () => {
      const result = resultOf(check, '0005_drop_notes');
      expect(result).toMatchObject({ status: 'not-reversible', line: 5 });
      expect(result.message).toMatch(/^down failed: /);
      expect(result.message).toContain(
        'up of 0005_drop_notes drops notes, which 0004_create_notes creates, and its down does not recreate it',
      );
      expect(result.message).not.toContain('shifted');
    });
  });
});
