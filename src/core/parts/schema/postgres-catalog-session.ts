import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** A catalog query, and the statement that prepares it in a session that lacks it. */
export interface PreparedQuery {
  readonly name: string;
  readonly prepareIfMissing: string;
}

/**
 * `text` as a statement each session prepares once, named `label` and a hash of the text: the
 * hash keeps a session from running a statement an older version prepared.
 */
export function preparedQuery(label: string, text: string): PreparedQuery {
  const name = `${label}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  // PREPARE has no IF NOT EXISTS; a DO block checks, in the same round trip as BEGIN.
  const prepare = `prepare ${name} as ${text}`;
  return {
    name,
    prepareIfMissing: `do ${dollarQuoted(`begin
      if not exists (select from pg_prepared_statements where name = '${name}') then
        execute ${dollarQuoted(prepare)};
      end if;
    end`)}`,
  };
}

/**
 * Runs a prepared catalog query under search_path `public`, so that it names objects as a
 * snapshot does, and the given settings (read by the query with `current_setting`). On a
 * transaction it runs in it, seeing the caller's uncommitted DDL; otherwise in a transaction of
 * its own on one pinned session.
 */
export async function readCatalog<Row>(
  db: Kysely<any>,
  query: PreparedQuery,
  settings: Readonly<Record<string, string>> = {},
): Promise<Row[]> {
  const setup = [
    `select set_config('search_path', 'public', true)`,
    ...Object.entries(settings).map(
      ([name, value]) => `select set_config('${name}', ${dollarQuoted(value)}, true)`,
    ),
  ];
  return db.isTransaction
    ? await inCallerTransaction<Row>(db, [...setup, query.prepareIfMissing], query.name)
    : await db.connection().execute((connection) => inOwnTransaction<Row>(connection, setup, query));
}

/**
 * Runs the catalog query in a read-only transaction of its own on one pinned session: the
 * transaction gives one consistent view, and keeps the settings it makes local to it.
 */
async function inOwnTransaction<Row>(
  db: Kysely<any>,
  setup: readonly string[],
  query: PreparedQuery,
): Promise<Row[]> {
  // Most reads find the statement prepared by an earlier one on the same session; sending the
  // prepare (the whole catalog query) every time cost more than the read itself.
  try {
    return await readInTransaction<Row>(db, setup, query.name);
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNDEFINED_PREPARED_STATEMENT) throw error;
    return await readInTransaction<Row>(db, [...setup, query.prepareIfMissing], query.name);
  }
}

/** SQLSTATE invalid_sql_statement_name: this session has not prepared the statement yet. */
const UNDEFINED_PREPARED_STATEMENT = '26000';

async function readInTransaction<Row>(
  db: Kysely<any>,
  setup: readonly string[],
  name: string,
): Promise<Row[]> {
  // BEGIN and the setup go in one round trip (a statement list without parameters is sent with
  // the simple protocol), since round trips are most of what a scoped read costs.
  await sql.raw(['start transaction read only', ...setup].join(';\n')).execute(db);
  let found: Row[];
  try {
    found = (await sql.raw<Row>(`execute ${name}`).execute(db)).rows;
  } catch (error) {
    // The first error is the one worth reporting; a rollback on a broken session fails too.
    await sql`rollback`.execute(db).catch(() => {});
    throw error;
  }
  await sql`commit`.execute(db);
  return found;
}

/**
 * Runs the catalog query in the caller's transaction, so the snapshot sees its uncommitted DDL,
 * and puts the caller's search_path back afterwards (the setting is transaction-local).
 */
async function inCallerTransaction<Row>(
  db: Kysely<any>,
  setup: readonly string[],
  name: string,
): Promise<Row[]> {
  const saved = (await sql<{ path: string }>`select current_setting('search_path') as path`.execute(db)).rows;
  const restore = sql`select set_config('search_path', ${sql.lit(saved[0]?.path ?? '')}, true)`;
  let found: Row[];
  try {
    await sql.raw(setup.join(';\n')).execute(db);
    found = (await sql.raw<Row>(`execute ${name}`).execute(db)).rows;
  } catch (error) {
    // After a failed query the transaction is aborted and refuses the restore too; the first
    // error is the one worth reporting.
    await restore.execute(db).catch(() => {});
    throw error;
  }
  await restore.execute(db);
  return found;
}

/**
 * `text` as a dollar-quoted SQL literal. The tag is one whose first occurrence in text plus
 * closing tag is the closing tag itself: text merely not containing it is not enough, since text
 * ending in `$mg` would close `$mg$` early.
 */
export function dollarQuoted(text: string): string {
  for (let tag = 'mg'; ; tag += '_') {
    const quote = `$${tag}$`;
    if ((text + quote).indexOf(quote) === text.length) return `${quote}${text}${quote}`;
  }
}
