import type { MigrationResult } from '../../model/migration-result.ts';
import type { RowDemand } from '../../model/row-demand.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import { objectKey } from '../schema/snapshot.ts';

/** A demand of a pending migration, to count on the target. */
export interface PendingDemand {
  readonly migration: string;
  readonly demand: RowDemand;
  /** A pending migration up to this one that writes the table's rows (a backfill) first. */
  readonly writtenBy?: string;
}

/**
 * The demands of the pending migrations (those proven: merged ones replayed without proof
 * carry none) that can be counted on the target: their table and columns exist there. A demand
 * on a column an earlier pending migration adds is left out, as the target has no such rows.
 */
export function pendingDemands(
  pending: readonly string[],
  results: readonly MigrationResult[],
  target: SchemaSnapshot,
): PendingDemand[] {
  const byName = new Map(results.map((result) => [result.name, result]));
  const writers: { readonly migration: string; readonly sql: string }[] = [];
  const demands: PendingDemand[] = [];
  for (const name of pending) {
    const result = byName.get(name);
    if (result === undefined) continue;
    for (const statement of result.statements?.up ?? [])
      if (!statement.failed && WRITE.test(statement.sql))
        writers.push({ migration: name, sql: statement.sql });
    for (const demand of result.rowDemands ?? []) {
      if (!existsOnTarget(demand, target)) continue;
      const writer = writers.find((write) => mentions(write.sql, demand.table));
      demands.push({
        migration: name,
        demand,
        ...(writer === undefined ? {} : { writtenBy: writer.migration }),
      });
    }
  }
  return demands;
}

/** A statement that writes rows, after any leading comments (a CTE may come first). */
const WRITE =
  /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:with\b[\s\S]*\b)?(?:update|insert|delete|replace|merge)\b/i;

function mentions(statement: string, table: string): boolean {
  const bare = table.split('.').pop()!;
  return new RegExp(`(^|[^\\w$])${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w$])`, 'i').test(
    statement,
  );
}

function existsOnTarget(demand: RowDemand, target: SchemaSnapshot): boolean {
  const columns =
    demand.kind === 'unique' || demand.kind === 'foreign-key'
      ? demand.columns
      : demand.kind === 'check'
        ? []
        : [demand.column];
  const tables = demand.kind === 'foreign-key' ? [demand.table, demand.referencedTable] : [demand.table];
  return (
    tables.every((table) => target.objects[objectKey({ kind: 'table', name: table })] !== undefined) &&
    columns.every(
      (column) =>
        target.objects[
          objectKey({ kind: 'column', name: `${demand.table}.${column}`, table: demand.table })
        ] !== undefined,
    )
  );
}
