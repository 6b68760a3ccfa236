import type { SqlToken } from '../statement-text.ts';
import { isKeyword, readName, tableNameOf } from '../statement-text.ts';
import type { RiskRule } from './rule.ts';
import { addedObjects, shown } from './schema-changes.ts';

/**
 * `server-default-collation` (MySQL/MariaDB): a table the up creates names no character set
 * or collation, so it takes its database's default, which comes from the server's: on the
 * throwaway that is the image's (utf8mb4_0900_ai_ci on MySQL 8+, utf8mb4_uca1400_ai_ci on
 * MariaDB 11.x, utf8mb4_general_ci before), and production's may differ. Severity `notice`:
 * nothing breaks while the migration runs, but comparisons, unique keys, ORDER BY and joins
 * with other tables' columns follow the collation. A column added to an existing table takes
 * that table's collation, which production's table has too: only new tables are judged.
 */
export const serverDefaultCollation: RiskRule = {
  id: 'server-default-collation',
  dialects: ['mysql'],
  severity: 'notice',
  why: 'the table takes the database default collation, which differs between servers (MySQL 8+ utf8mb4_0900_ai_ci, MariaDB 11.x utf8mb4_uca1400_ai_ci, older utf8mb4_general_ci): production may compare, sort and enforce unique keys differently from the proof',
  instead:
    'name it in the CREATE TABLE: DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci (or the collation production uses)',
  check(input) {
    return addedObjects(input, 'table').flatMap((table) => {
      const statement = input.statements.find((read) => createdTable(read.tokens) === table.name);
      if (statement === undefined || namesCollation(statement.tokens)) return [];
      return [
        {
          what: `creates table ${table.name} with the database default collation`,
          statement: statement.index,
          evidence: [
            `statement ${statement.index + 1} names no character set or collation; table ${table.name} got ${shown(table.attributes['collation'])} on the throwaway database`,
          ],
        },
      ];
    });
  },
};

/** The table a `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name` statement creates. */
function createdTable(tokens: readonly SqlToken[]): string | undefined {
  if (!isKeyword(tokens[0], 'create')) return undefined;
  let at = isKeyword(tokens[1], 'temporary') ? 2 : 1;
  if (!isKeyword(tokens[at], 'table')) return undefined;
  at++;
  if (isKeyword(tokens[at], 'if') && isKeyword(tokens[at + 1], 'not') && isKeyword(tokens[at + 2], 'exists'))
    at += 3;
  return tableNameOf(readName(tokens, at).parts, 'mysql');
}

/**
 * Whether the statement chooses its character set or collation: as a table option (outside
 * the column list), or by copying another table's definition (`LIKE`).
 */
function namesCollation(tokens: readonly SqlToken[]): boolean {
  let depth = 0;
  let columnsSeen = false;
  for (const token of tokens) {
    if (token.kind === 'symbol' && token.text === '(') depth++;
    else if (token.kind === 'symbol' && token.text === ')') {
      depth--;
      if (depth === 0) columnsSeen = true;
    } else if (depth === 0 && isKeyword(token, 'like')) return true;
    else if (depth === 0 && columnsSeen && isKeyword(token, 'collate', 'charset', 'character')) return true;
  }
  return false;
}
