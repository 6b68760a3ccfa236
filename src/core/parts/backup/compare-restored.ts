import { describeChange, diffSnapshots } from '../schema/diff.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { RowCounts } from '../../model/backup-record.ts';
import { asDumpedAndRestored } from './dump-equivalence.ts';

/**
 * The differences between a target and a restored copy, in words: schema differences first
 * (`table tags was removed`), then row counts (`table public.posts: 3 rows in the target, 2
 * restored`). Empty when the copy is faithful.
 */
export function describeRestoreDifferences(
  target: { readonly schema: SchemaSnapshot; readonly rowCounts: RowCounts },
  restored: { readonly schema: SchemaSnapshot; readonly rowCounts: RowCounts },
): string[] {
  const differences = diffSnapshots(
    asDumpedAndRestored(target.schema),
    asDumpedAndRestored(restored.schema),
  ).changes.map((change) => `schema: ${describeChange(change)} in the restored copy`);
  return [...differences, ...describeCountDifferences(target.rowCounts, restored.rowCounts)];
}

/** Row count differences, in words; tables missing on either side included. */
export function describeCountDifferences(expected: RowCounts, actual: RowCounts): string[] {
  const problems: string[] = [];
  const tables = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  for (const table of tables) {
    const want = expected[table];
    const have = actual[table];
    if (want === have) continue;
    if (want === undefined) problems.push(`rows: table ${table} is not in the target but was restored`);
    else if (have === undefined) problems.push(`rows: table ${table} (${want} rows) was not restored`);
    else problems.push(`rows: table ${table} has ${rows(want)} in the target, ${rows(have)} restored`);
  }
  return problems;
}

function rows(count: number): string {
  return count === 1 ? '1 row' : `${count} rows`;
}
