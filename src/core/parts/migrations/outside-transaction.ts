import type { DialectName } from '../../model/dialect.ts';
import { lexSql } from '../sql/sql-lexer.ts';
import type { SqlStatement } from './split-sql.ts';

/**
 * Why a SQL migration must run outside a transaction on Postgres, read from its statements
 * (as Flyway does), or undefined when nothing in it needs that. Postgres refuses
 * `CREATE`/`DROP INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY`, `REINDEX DATABASE|SYSTEM`,
 * `VACUUM`, `ALTER SYSTEM` and `CREATE`/`DROP DATABASE|TABLESPACE` inside a transaction
 * block, and a value added by `ALTER TYPE … ADD VALUE` cannot be used in the transaction that
 * added it. MySQL/MariaDB never run a migration in a transaction, so nothing is said there.
 */
export function statementsOutsideTransaction(
  statements: readonly SqlStatement[],
  dialect: DialectName,
): string | undefined {
  if (dialect !== 'postgres') return undefined;
  const lexed = statements.map((statement) => ({ line: statement.line, ...wordsAndStrings(statement.sql) }));
  for (const [index, statement] of lexed.entries()) {
    const refused = refusedInTransaction(statement.words);
    if (refused !== undefined) return `${refused} (line ${statement.line}) cannot run inside a transaction`;
    const added = addedEnumValue(statement.words, statement.strings);
    if (added === undefined) continue;
    const user = lexed.slice(index + 1).find((later) => later.strings.includes(added));
    if (user !== undefined) {
      return (
        `ALTER TYPE … ADD VALUE '${added}' (line ${statement.line}) is used on line ${user.line}, ` +
        'which Postgres refuses in the transaction that added the value'
      );
    }
  }
  return undefined;
}

/**
 * Why a step that failed inside its transaction should run again outside it, or undefined:
 * the database refused a statement inside a transaction block (25001, e.g. an older Postgres
 * adding an enum value), refused a new enum value in the transaction that added it (55P04),
 * or the migration opened its own transaction, which Kysely refuses on a transaction. Each
 * failure leaves nothing behind: the transaction rolled back.
 */
export function reasonToLeaveTransaction(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (OWN_TRANSACTION.test(cause.message)) return 'it opens its own transaction';
    const code = (cause as { code?: unknown }).code;
    if (code === '25001' || code === '55P04') return cause.message;
  }
  return undefined;
}

const OWN_TRANSACTION =
  /^calling the (?:transaction|startTransaction|connection) method for a Transaction is not supported/;

function wordsAndStrings(sql: string): { words: string[]; strings: string[] } {
  const tokens = lexSql(sql, { dialect: 'postgres' }).tokens;
  return {
    words: tokens.filter((token) => token.kind === 'word').map((token) => token.value.toLowerCase()),
    strings: tokens.filter((token) => token.kind === 'string').map((token) => token.value),
  };
}

/** The command Postgres refuses inside a transaction block, in capitals, when `words` start one. */
function refusedInTransaction(words: readonly string[]): string | undefined {
  const [first, second] = words;
  const created = second === 'unique' ? words.slice(2) : words.slice(1);
  if (first === 'create' && created[0] === 'index' && created[1] === 'concurrently')
    return 'CREATE INDEX CONCURRENTLY';
  if (first === 'drop' && second === 'index' && words[2] === 'concurrently') return 'DROP INDEX CONCURRENTLY';
  if (first === 'reindex' && words.includes('concurrently')) return 'REINDEX … CONCURRENTLY';
  if (first === 'reindex' && (second === 'database' || second === 'system'))
    return `REINDEX ${second.toUpperCase()}`;
  if (first === 'vacuum') return 'VACUUM';
  if (first === 'alter' && second === 'system') return 'ALTER SYSTEM';
  if ((first === 'create' || first === 'drop') && (second === 'database' || second === 'tablespace'))
    return `${first.toUpperCase()} ${second.toUpperCase()}`;
  return undefined;
}

/** The value of `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'value'`, when `words` are one. */
function addedEnumValue(words: readonly string[], strings: readonly string[]): string | undefined {
  if (words[0] !== 'alter' || words[1] !== 'type') return undefined;
  const add = words.indexOf('add');
  return add > 0 && words[add + 1] === 'value' ? strings[0] : undefined;
}
