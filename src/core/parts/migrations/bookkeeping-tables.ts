/** The table where `apply` keeps each applied migration's checksums, beside Kysely's. */
export const CHECKSUM_TABLE = 'migration_gate_checksum';

/**
 * Where `apply` and `rollback` record, statement by statement, a migration running outside a
 * transaction (every one on MySQL/MariaDB, whose DDL commits alone): a row that outlives its
 * run names a migration stopped half-way.
 */
export const PROGRESS_TABLE = 'migration_gate_progress';

/**
 * The bookkeeping tables of a migration table: Kysely's table, its lock table
 * (`<table>_lock`, as Kysely names it by default) and our checksum and progress tables. Their rows change
 * with every step by design, so snapshots leave them out.
 */
export function bookkeepingTables(migrationTable = 'kysely_migration'): string[] {
  return [migrationTable, `${migrationTable}_lock`, CHECKSUM_TABLE, PROGRESS_TABLE];
}
