import type { DialectName } from '../../../model/dialect.ts';
import type { SqlToken } from '../statement-text.ts';
import { isKeyword, readName, tableNameOf } from '../statement-text.ts';
import type { RiskInput } from './rule.ts';
import {
  addedObjects,
  altersTable,
  blame,
  changedAttribute,
  columnOf,
  existedBefore,
  shown,
} from './schema-changes.ts';

/**
 * The two operations whose own rules explain a rewrite of an existing table; the generic
 * rewrite rules (`table-rewrite`, the MySQL algorithm rules) leave those to them, so one
 * rewrite is reported once, by the rule that says why it happened.
 */

/** A column of an existing table whose type the up changed. */
export interface ColumnTypeChange {
  readonly table: string;
  readonly column: string;
  readonly from: string;
  readonly to: string;
  readonly statement: number | undefined;
}

/** Column type changes on existing tables (a MySQL enum's values are `enum-value-change`'s). */
export function columnTypeChanges(input: RiskInput): ColumnTypeChange[] {
  return changedAttribute(input, 'column', 'type').flatMap(({ before, change }) => {
    const table = before.table!;
    const [from, to] = [shown(change.before), shown(change.after)];
    if (!existedBefore(input, table) || (isMysqlEnum(from) && isMysqlEnum(to))) return [];
    const column = columnOf(before);
    const statement = blame(input, altersTable(input, table, [column], ['type', 'modify', 'change']));
    return [{ table, column, from, to, statement }];
  });
}

/** Whether a MySQL column type is an enum: `enum('a','b')`. */
export function isMysqlEnum(type: string): boolean {
  return /^enum\(/i.test(type);
}

/** A column added to an existing table with a default. */
export interface AddedDefault {
  readonly table: string;
  readonly column: string;
  readonly defaultValue: string;
  readonly statement: number | undefined;
}

/** Columns the up added, with a default, to tables that existed before. */
export function addedColumnsWithDefault(input: RiskInput): AddedDefault[] {
  return addedObjects(input, 'column').flatMap((column) => {
    const table = column.table!;
    const value = column.attributes['default'];
    if (!existedBefore(input, table) || value === null || value === undefined) return [];
    const name = columnOf(column);
    const statement = blame(input, altersTable(input, table, [name], ['add']));
    return [{ table, column: name, defaultValue: String(value), statement }];
  });
}

/** Existing tables the up emptied with TRUNCATE (which gives them new storage too). */
export function truncatedTables(input: RiskInput): { table: string; statement: number }[] {
  return input.statements.flatMap((statement) => {
    if (statement.tokens[0]?.text !== 'truncate') return [];
    return truncateTargets(statement.tokens, input.dialect)
      .filter((table) => existedBefore(input, table))
      .map((table) => ({ table, statement: statement.index }));
  });
}

/** The tables of `TRUNCATE [TABLE] [ONLY] a[, b] [RESTART IDENTITY] [CASCADE]`. */
function truncateTargets(tokens: readonly SqlToken[], dialect: DialectName): string[] {
  const tables: string[] = [];
  let at = isKeyword(tokens[1], 'table') ? 2 : 1;
  for (;;) {
    if (isKeyword(tokens[at], 'only')) at++;
    const name = readName(tokens, at);
    if (name.parts.length === 0) break;
    tables.push(tableNameOf(name.parts, dialect));
    at = name.next;
    if (tokens[at]?.text === '*') at++;
    if (tokens[at]?.text !== ',') break;
    at++;
  }
  return tables;
}
