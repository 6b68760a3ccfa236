import type { SchemaChange } from './diff.ts';
import type { SchemaSnapshot } from './snapshot.ts';
import { objectKey } from './snapshot.ts';

/**
 * The tables that existed before the up and after it, and whose definition, columns,
 * constraints or indexes it changed: those whose size tells how long the up may take on a
 * real database. `changes` is diffSnapshots(before, after)'s, computed once by the caller.
 * Sorted by name.
 */
export function touchedTables(
  before: SchemaSnapshot,
  after: SchemaSnapshot,
  changes: readonly SchemaChange[],
): string[] {
  const kept = (table: string) =>
    [before, after].every(
      (snapshot) => snapshot.objects[objectKey({ kind: 'table', name: table })] !== undefined,
    );
  const tables = changes.flatMap((change) => {
    const object = change.type === 'changed' ? change.after : change.object;
    const table = object.kind === 'table' ? object.name : object.table;
    return table !== undefined && kept(table) ? [table] : [];
  });
  return [...new Set(tables)].sort();
}
