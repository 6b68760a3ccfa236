/** The table where `apply` keeps each applied migration's checksums, beside Kysely's. */
export const CHECKSUM_TABLE = 'migration_gate_checksum';

/**
 * The bookkeeping tables of a migration table: Kysely's table, its lock table
 * (`<table>_lock`, as Kysely names it by default) and our checksum table. Their rows change
 * with every step by design, so snapshots leave them out.
 */
export function bookkeepingTables(migrationTable = 'kysely_migration'): string[] {
  return [migrationTable, `${migrationTable}_lock`, CHECKSUM_TABLE];
}
