import type { SchemaObject } from '../../schema/snapshot.ts';
import type { SqlToken } from '../statement-text.ts';
import { isKeyword } from '../statement-text.ts';
import type { RiskInput } from './rule.ts';
import { tableStatementOf } from './schema-changes.ts';

/**
 * What a migration's statements do together, for the rules that judge a sequence rather than
 * one statement: a constraint added NOT VALID and validated later, a NOT NULL proven by a
 * validated check before it is set, a column filled by its default before the default goes.
 */

/** The first ALTER TABLE action on `table` that passes `test`, with its statement's index. */
function findAction(
  input: RiskInput,
  table: string,
  test: (action: readonly SqlToken[]) => boolean,
  from = 0,
  to = Number.POSITIVE_INFINITY,
): { statement: number; action: readonly SqlToken[] } | undefined {
  for (const statement of input.statements) {
    if (statement.index < from || statement.index >= to) continue;
    const read = tableStatementOf(input, statement);
    if (read?.kind !== 'alter-table' || read.table !== table) continue;
    const action = read.actions.find(test);
    if (action !== undefined) return { statement: statement.index, action };
  }
  return undefined;
}

function hasWords(action: readonly SqlToken[], ...words: readonly string[]): boolean {
  return action.some(
    (token, index) =>
      isKeyword(token, words[0]!) && words.every((word, at) => isKeyword(action[index + at], word)),
  );
}

const names = (action: readonly SqlToken[], name: string) => action.some((token) => token.name === name);

/**
 * How the up added a constraint NOT VALID and validated it in a later statement: the indexes
 * of both statements, when it did.
 */
export function addedNotValidThenValidated(
  input: RiskInput,
  table: string,
  constraint: string,
): { added: number; validated: number } | undefined {
  const added = findAction(
    input,
    table,
    (action) => isKeyword(action[0], 'add') && names(action, constraint) && hasWords(action, 'not', 'valid'),
  );
  if (added === undefined) return undefined;
  const validated = findAction(
    input,
    table,
    (action) => isKeyword(action[0], 'validate') && names(action, constraint),
    added.statement + 1,
  );
  return validated === undefined ? undefined : { added: added.statement, validated: validated.statement };
}

/**
 * Whether a validated `CHECK (column IS NOT NULL)` of the table holds before statement
 * `before` of the up: added without NOT VALID, or validated by an earlier statement. Postgres
 * 12+ then sets NOT NULL without scanning the table.
 */
export function checkedNotNullEarlier(
  input: RiskInput,
  table: string,
  column: string,
  before: number,
): boolean {
  const provesColumn = (action: readonly SqlToken[]) => {
    const check = action.findIndex((token) => isKeyword(token, 'check'));
    return (
      check !== -1 &&
      action.slice(check).some((token, at, rest) => token.name === column && isKeyword(rest[at + 1], 'is')) &&
      hasWords(action.slice(check), 'is', 'not', 'null')
    );
  };
  const added = findAction(
    input,
    table,
    (action) => isKeyword(action[0], 'add') && provesColumn(action),
    0,
    before,
  );
  if (added === undefined) return false;
  if (!hasWords(added.action, 'not', 'valid')) return true;
  const constraint = isKeyword(added.action[1], 'constraint') ? added.action[2]?.name : undefined;
  return (
    constraint !== undefined &&
    findAction(
      input,
      table,
      (action) => isKeyword(action[0], 'validate') && names(action, constraint),
      added.statement + 1,
      before,
    ) !== undefined
  );
}

/**
 * Whether a column is NOT NULL by its own definition: serial types, identity and
 * AUTO_INCREMENT columns, and primary keys never held a NULL, whatever the statement spells.
 */
export function notNullByDefinition(column: SchemaObject, added: readonly SqlToken[]): boolean {
  const { identity, autoIncrement, default: value } = column.attributes;
  if (identity != null || autoIncrement === true) return true;
  if (/^nextval\(/i.test(String(value ?? ''))) return true;
  return (
    hasWords(added, 'primary', 'key') ||
    added.some((token) =>
      isKeyword(token, 'serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8'),
    )
  );
}

/** The statement that sets NOT NULL on a column (Postgres: `ALTER [COLUMN] c SET NOT NULL`). */
export function setsNotNull(input: RiskInput, table: string, column: string): number | undefined {
  return findAction(
    input,
    table,
    (action) =>
      isKeyword(action[0], 'alter') && names(action, column) && hasWords(action, 'set', 'not', 'null'),
  )?.statement;
}

/** Whether an ADD COLUMN action gives the column a DEFAULT, which fills the rows that exist. */
export function addsWithDefault(added: readonly SqlToken[]): boolean {
  return added.some((token) => isKeyword(token, 'default'));
}
