import type { Migration } from '../migrations/migration.ts';
import type { ChecksumMismatch } from '../../model/checksum-mismatch.ts';
import type { ChecksumRow } from './checksum-table.ts';

/** The guard's verdict on the target's applied migrations. */
export interface ChecksumVerdict {
  readonly mismatches: readonly ChecksumMismatch[];
  /** Applied without a checksum row (by Kysely's Migrator alone): recorded now, not refused. */
  readonly adopted: readonly string[];
}

/**
 * Compares every applied migration with what was recorded when it ran. `emitted` holds the
 * SQL checksum each TypeScript migration's up produces today (captured on a throwaway replay);
 * a migration absent from it is compared by source only.
 */
export function checkChecksums(
  applied: readonly string[],
  migrations: readonly Migration[],
  stored: ReadonlyMap<string, ChecksumRow>,
  emitted: ReadonlyMap<string, string>,
): ChecksumVerdict {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const mismatches: ChecksumMismatch[] = [];
  const adopted: string[] = [];
  for (const name of applied) {
    const migration = byName.get(name);
    if (migration === undefined) {
      mismatches.push({
        name,
        changed: ['missing-file'],
        message: `${name} is applied on the target but its file is missing from the migrations`,
      });
      continue;
    }
    const row = stored.get(name);
    if (row === undefined) {
      adopted.push(name);
      continue;
    }
    const changed: ('source' | 'emitted-sql')[] = [];
    if (row.sourceChecksum !== migration.checksum) changed.push('source');
    const today = emitted.get(name);
    if (row.sqlChecksum !== null && today !== undefined && row.sqlChecksum !== today)
      changed.push('emitted-sql');
    if (changed.length > 0) mismatches.push({ name, changed, message: mismatchMessage(name, changed) });
  }
  return { mismatches, adopted };
}

function mismatchMessage(name: string, changed: readonly ('source' | 'emitted-sql')[]): string {
  const what =
    changed.length === 2
      ? 'its source and the SQL it emits changed'
      : changed[0] === 'source'
        ? 'its source changed (the SQL it emits did not, or is not compared)'
        : 'the SQL it emits changed although its source did not (an imported helper or Kysely changed)';
  return `${name} was edited after it was applied: ${what}; write a new migration instead`;
}
