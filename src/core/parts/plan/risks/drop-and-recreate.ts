import type { ReadStatement, RiskInput, RiskRule } from './rule.ts';
import { isKeyword, readName, tableNameOf } from '../statement-text.ts';
import { objectKey } from '../../schema/snapshot.ts';
import { columnsDroppedAndAdded } from './column-actions.ts';

/**
 * `drop-and-recreate`: a table dropped and created again, or a column dropped and added again,
 * in the same up. Severity `error`: the schema after the up equals the one before, so no
 * diff shows it, but every row of the table (or every value of the column) is gone. On
 * Postgres the throwaway database shows it: the table has another oid after the up.
 */
export const dropAndRecreate: RiskRule = {
  id: 'drop-and-recreate',
  dialects: ['postgres', 'mysql'],
  severity: 'error',
  why: 'the schema looks unchanged, but the data that was in the table (or the column) is lost for good',
  instead:
    'change the table in place (ALTER TABLE), or create the new one beside it, copy the data, and drop the old one in a later migration after a backup',
  check(input) {
    const tables = recreatedTables(input).map(({ table, statement }) => ({
      what: `drops table ${table} and creates it again, empty`,
      statement,
      evidence: [
        input.facts.recreated?.has(table) === true
          ? `table ${table} has another oid after the up: it is a new, empty table`
          : `statement ${statement + 1} drops table ${table}, a later one creates it again`,
      ],
    }));
    const columns = columnsDroppedAndAdded(input).map(({ table, column, dropped, added }) => ({
      what: `drops column ${table}.${column} and adds it again, empty`,
      statement: dropped,
      evidence: [
        `statement ${dropped + 1} drops column ${table}.${column}, statement ${added + 1} adds it again`,
      ],
    }));
    return [...tables, ...columns];
  },
};

/** Tables that existed before and after the up, dropped by one statement and created by a later one. */
function recreatedTables(input: RiskInput): { table: string; statement: number }[] {
  const found: { table: string; statement: number }[] = [];
  for (const [position, statement] of input.statements.entries()) {
    for (const table of droppedTables(statement, input)) {
      const key = objectKey({ kind: 'table', name: table });
      if (input.before.objects[key] === undefined || input.after.objects[key] === undefined) continue;
      const created = input.statements
        .slice(position + 1)
        .some((later) => createdTable(later, input) === table);
      if (created || input.facts.recreated?.has(table) === true)
        found.push({ table, statement: statement.index });
    }
  }
  return found;
}

/** The tables of `DROP TABLE [IF EXISTS] a[, b] [CASCADE]`. */
function droppedTables(statement: ReadStatement, input: RiskInput): string[] {
  const { tokens } = statement;
  if (!isKeyword(tokens[0], 'drop') || !isKeyword(tokens[1], 'table')) return [];
  let at = isKeyword(tokens[2], 'if') && isKeyword(tokens[3], 'exists') ? 4 : 2;
  const tables: string[] = [];
  for (;;) {
    const name = readName(tokens, at);
    if (name.parts.length === 0) return tables;
    tables.push(tableNameOf(name.parts, input.dialect));
    if (tokens[name.next]?.text !== ',') return tables;
    at = name.next + 1;
  }
}

/** The table of `CREATE [TEMP] TABLE [IF NOT EXISTS] a ...`. */
function createdTable(statement: ReadStatement, input: RiskInput): string | undefined {
  const { tokens } = statement;
  if (!isKeyword(tokens[0], 'create')) return undefined;
  const at = tokens.findIndex((token, index) => index < 4 && isKeyword(token, 'table'));
  if (at === -1) return undefined;
  const start = isKeyword(tokens[at + 1], 'if') ? at + 4 : at + 1;
  const name = readName(tokens, start);
  return name.parts.length === 0 ? undefined : tableNameOf(name.parts, input.dialect);
}
