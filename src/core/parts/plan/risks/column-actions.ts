import { objectKey } from '../../schema/snapshot.ts';
import type { SqlToken } from '../statement-text.ts';
import { isKeyword, isName } from '../statement-text.ts';
import type { RiskInput } from './rule.ts';
import { existedBefore, tableStatementOf } from './schema-changes.ts';

/** A column of an existing table that one ALTER TABLE action drops and a later one adds again. */
export interface DroppedAndAdded {
  readonly table: string;
  readonly column: string;
  /** Indexes of the statements that drop and add it. */
  readonly dropped: number;
  readonly added: number;
}

/** Words after DROP/ADD that start something other than a column. */
const NOT_COLUMNS = [
  'constraint',
  'index',
  'key',
  'primary',
  'foreign',
  'check',
  'unique',
  'partition',
  'fulltext',
  'spatial',
];

/** Columns there before and after the up that an action drops and a later action adds again. */
export function columnsDroppedAndAdded(input: RiskInput): DroppedAndAdded[] {
  const actions = input.statements.flatMap((statement) => {
    const read = tableStatementOf(input, statement);
    if (read?.kind !== 'alter-table' || !existedBefore(input, read.table)) return [];
    return read.actions.flatMap((action) => {
      const column = columnActedOn(action);
      return column === undefined ? [] : [{ table: read.table, statement: statement.index, ...column }];
    });
  });
  const found: DroppedAndAdded[] = [];
  for (const [position, drop] of actions.entries()) {
    if (drop.verb !== 'drop') continue;
    const key = objectKey({ kind: 'column', name: `${drop.table}.${drop.column}` });
    if (input.before.objects[key] === undefined || input.after.objects[key] === undefined) continue;
    const add = actions
      .slice(position + 1)
      .find((later) => later.verb === 'add' && later.table === drop.table && later.column === drop.column);
    if (add !== undefined)
      found.push({ table: drop.table, column: drop.column, dropped: drop.statement, added: add.statement });
  }
  return found;
}

/** `DROP [COLUMN] [IF EXISTS] c` or `ADD [COLUMN] [IF NOT EXISTS] c ...`: the verb and the column. */
function columnActedOn(action: readonly SqlToken[]): { verb: 'drop' | 'add'; column: string } | undefined {
  if (!isKeyword(action[0], 'drop', 'add')) return undefined;
  let at = 1;
  if (isKeyword(action[at], 'column')) at++;
  else if (isKeyword(action[at], ...NOT_COLUMNS)) return undefined;
  while (isKeyword(action[at], 'if', 'not', 'exists')) at++;
  const name = action[at];
  return isName(name) ? { verb: action[0]!.text as 'drop' | 'add', column: name.name } : undefined;
}
