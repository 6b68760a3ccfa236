import type { PostgresLockMode } from '../facts/observed-facts.ts';
import { blocksWrites, lockModeName } from './evidence.ts';
import type { ReadStatement, RiskInput, RiskRule } from './rule.ts';
import { rowWrites } from './row-writes.ts';
import { existedBefore, tableStatementOf } from './schema-changes.ts';

/**
 * `ddl-and-data-in-one-transaction` (Postgres): one transaction both changes rows of an
 * existing table (UPDATE, DELETE, INSERT, MERGE) and holds a lock from DDL that blocks writes
 * on an existing table. Severity `warning`: nothing is lost, but the DDL's lock is held until
 * COMMIT, so the data change, which grows with the table, is added to the time the table is
 * blocked. Judged from the locks read before COMMIT; from the statements when they could not
 * be read. MySQL commits each DDL statement on its own, so the two never share a transaction.
 */
export const ddlAndDataInOneTransaction: RiskRule = {
  id: 'ddl-and-data-in-one-transaction',
  dialects: ['postgres'],
  severity: 'warning',
  why: 'the lock taken by the DDL is held until COMMIT, so the table stays blocked while the data change runs too',
  instead:
    'move the data change to its own migration (or a batched backfill outside the deploy) and keep the DDL migration short',
  check(input) {
    if (!input.transactional) return [];
    const writes = rowWrites(input);
    if (writes.length === 0) return [];
    const locked = blockingLocks(input);
    if (locked.length === 0) return [];
    const [first] = writes;
    return [
      {
        what: `changes rows of ${first!.table} in the same transaction as DDL that locks ${locked.map((lock) => lock.table).join(', ')}`,
        statement: first!.statement.index,
        evidence: [
          ...locked.map((lock) => lock.evidence),
          ...writes.map(({ statement, table }) => `statement ${statement.index + 1} writes rows of ${table}`),
        ],
      },
    ];
  },
};

/** Existing tables the transaction locked against writes, from pg_locks or else from the DDL statements. */
function blockingLocks(input: RiskInput): { table: string; evidence: string }[] {
  const locks = input.facts.locks;
  if (locks !== undefined) {
    return [...locks]
      .filter(([, mode]: [string, PostgresLockMode]) => blocksWrites(mode))
      .map(([table, mode]) => ({ table, evidence: `held ${lockModeName(mode)} on ${table} until COMMIT` }));
  }
  return input.statements.flatMap((statement: ReadStatement) => {
    const read = tableStatementOf(input, statement);
    if (read === undefined || !existedBefore(input, read.table)) return [];
    return [
      {
        table: read.table,
        evidence: `statement ${statement.index + 1} changes ${read.table} (${input.facts.locksUnread ?? 'locks not read'})`,
      },
    ];
  });
}
