import type { SchemaSnapshot } from '../schema/snapshot.ts';
import { objectKey } from '../schema/snapshot.ts';
import type { TableRows } from './read-rows.ts';
import type { TableShape } from './table-shapes.ts';

/** What a round trip (or an up) lost of the rows present before it. */
export interface RowLoss {
  readonly table: string;
  /** The column whose values are lost; absent when whole rows are. */
  readonly column?: string;
  readonly lost: number;
  readonly of: number;
}

/**
 * The rows present before the up that are not back after up then down: by primary key when
 * the table has one (rows missing, then values changed column by column), else by whole rows.
 * Columns that move on every update (MySQL's ON UPDATE CURRENT_TIMESTAMP) are not compared.
 */
export function roundTripLosses(
  tables: readonly TableShape[],
  before: ReadonlyMap<string, TableRows>,
  after: ReadonlyMap<string, TableRows>,
): RowLoss[] {
  const losses: RowLoss[] = [];
  for (const table of tables) {
    const rowsBefore = before.get(table.name) ?? [];
    const rowsAfter = after.get(table.name) ?? [];
    if (rowsBefore.length === 0) continue;
    const compared = table.columns
      .filter((column) => column.movesOnUpdate !== true)
      .map((column) => column.name);
    if (table.primaryKey === undefined || table.primaryKey.length === 0) {
      const left = new Map<string, number>();
      for (const row of rowsAfter)
        left.set(wholeRow(row, compared), (left.get(wholeRow(row, compared)) ?? 0) + 1);
      let lost = 0;
      for (const row of rowsBefore) {
        const key = wholeRow(row, compared);
        const count = left.get(key) ?? 0;
        if (count === 0) lost += 1;
        else left.set(key, count - 1);
      }
      if (lost > 0) losses.push({ table: table.name, lost, of: rowsBefore.length });
      continue;
    }
    const keyOf = (row: Readonly<Record<string, string>>) =>
      table.primaryKey!.map((column) => row[column]).join('\u0000');
    const afterByKey = new Map(rowsAfter.map((row) => [keyOf(row), row]));
    const kept = rowsBefore.flatMap((row) => {
      const match = afterByKey.get(keyOf(row));
      return match === undefined ? [] : [[row, match] as const];
    });
    if (kept.length < rowsBefore.length)
      losses.push({ table: table.name, lost: rowsBefore.length - kept.length, of: rowsBefore.length });
    for (const column of compared) {
      const lost = kept.filter(([was, is]) => was[column] !== is[column]).length;
      if (lost > 0) losses.push({ table: table.name, column, lost, of: kept.length });
    }
  }
  return losses;
}

function wholeRow(row: Readonly<Record<string, string>>, columns: readonly string[]): string {
  return columns.map((column) => row[column] ?? 'null').join('\u0000');
}

/**
 * What the up removes on purpose, counted on the rows before it: every row of a dropped
 * table, the values (not NULL) of a dropped column.
 */
export function droppedByUp(
  tables: readonly TableShape[],
  before: ReadonlyMap<string, TableRows>,
  afterUp: SchemaSnapshot,
): RowLoss[] {
  const losses: RowLoss[] = [];
  for (const table of tables) {
    const rows = before.get(table.name) ?? [];
    if (rows.length === 0) continue;
    if (afterUp.objects[objectKey({ kind: 'table', name: table.name })] === undefined) {
      losses.push({ table: table.name, lost: rows.length, of: rows.length });
      continue;
    }
    for (const column of table.columns) {
      if (
        afterUp.objects[
          objectKey({ kind: 'column', name: `${table.name}.${column.name}`, table: table.name })
        ] !== undefined
      )
        continue;
      const held = rows.filter((row) => row[column.name] !== undefined && row[column.name] !== 'null').length;
      if (held > 0) losses.push({ table: table.name, column: column.name, lost: held, of: rows.length });
    }
  }
  return losses;
}
