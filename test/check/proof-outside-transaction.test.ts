import { beforeAll, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf } from '../support/engines.ts';
import { checkFixture, resultOf, verdicts } from './check-fixture.ts';

describeEachEngine(
  'check on migrations Postgres refuses to run inside a transaction',
  (engine) => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'outside-transaction');
    });

    it('proves a SQL migration with CREATE INDEX CONCURRENTLY and no directive, outside a transaction', () => {
      expect(verdicts(check)).toEqual([
        '0001_create_orders: reversible',
        '0002_index_orders_placed_at: reversible',
        '0003_index_orders_total: reversible',
        '0004_refund_orders: declared-irreversible',
      ]);
      expect(resultOf(check, '0002_index_orders_placed_at').notes).toEqual([
        'ran outside a transaction: CREATE INDEX CONCURRENTLY (line 2) cannot run inside a transaction',
      ]);
    });

    it('runs a SQL migration outside a transaction when it uses an enum value it adds', () => {
      expect(resultOf(check, '0004_refund_orders').notes).toEqual([
        "ran outside a transaction: ALTER TYPE … ADD VALUE 'refunded' (line 2) is used on line 3, which Postgres refuses in the transaction that added the value",
      ]);
    });

    it('runs a TypeScript migration again outside its transaction when Postgres refuses a statement in it, and says so', () => {
      expect(resultOf(check, '0003_index_orders_total').notes).toEqual([
        'ran outside a transaction: CREATE INDEX CONCURRENTLY cannot run inside a transaction block',
      ]);
    });

    it('does not take a concurrent index build outside a transaction for a blocking one', () => {
      for (const name of ['0002_index_orders_placed_at', '0003_index_orders_total']) {
        const rules = (resultOf(check, name).risks ?? []).map((risk) => risk.rule);
        expect(rules, name).not.toContain('create-index-blocking');
      }
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres'),
);

describeEachEngine('check on a migration that opens its own transaction', (engine) => {
  let check: CheckResult;
  beforeAll(async () => {
    check = await checkFixture(engine, 'own-transaction');
  });

  it("proves it reversible instead of failing on Kysely's refusal of a transaction inside a transaction", () => {
    expect(verdicts(check)).toEqual(['0001_create_accounts: reversible']);
    expect(check.ok).toBe(true);
  });

  if (dialectOf(engine) === 'postgres') {
    it('says on Postgres that it ran outside the per-migration transaction, and why', () => {
      expect(resultOf(check, '0001_create_accounts').notes).toEqual([
        'ran outside a transaction: it opens its own transaction',
      ]);
    });
  }
});
