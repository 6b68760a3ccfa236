import type { CapturedStatement } from '../../model/captured-statement.ts';
import type { Migration } from '../migrations/migration.ts';
import { checksumOf } from '../migrations/checksum.ts';

/**
 * Whether the SQL a migration runs can differ while its source does not: a TypeScript module
 * builds it at run time (helpers it imports, Kysely's version). A SQL file's source is its SQL.
 */
export function emitsSql(migration: Migration): boolean {
  return migration.source.format !== 'sql';
}

/** sha256 of the statements an up sent, in order; refused statements are not part of it. */
export function emittedSqlChecksum(statements: readonly CapturedStatement[]): string {
  return checksumOf(...statements.filter((statement) => statement.failed !== true).map((s) => s.sql));
}
