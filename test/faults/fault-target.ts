import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { MYSQL_LOCK_NAME, POSTGRES_LOCK_ID } from '../../src/core/parts/target/lock-holder.ts';
import { PROGRESS_TABLE } from '../../src/core/parts/migrations/bookkeeping-tables.ts';
import type { DialectName } from '../../src/core/model/dialect.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { dialectOf } from '../support/engines.ts';

// What a fault test looks at on its target after the fault: Kysely's rows, the tool's progress
// rows, who holds Kysely's lock, what runs there.

/**
 * A long statement of each dialect, and the fragment that finds it running. On MySQL it sleeps
 * on the first of two rows: Oracle MySQL 9.7's KILL QUERY makes SLEEP return 1 without an
 * error, even inside an expression (`SELECT 1 + SLEEP(n)` returns 2), and raises
 * ER_QUERY_INTERRUPTED only when it sees the kill at the next row; MariaDB raises it always.
 */
export const SLEEP: Record<DialectName, { statement: (seconds: number) => string; fragment: string }> = {
  postgres: { statement: (s) => `select pg_sleep(${s});`, fragment: 'pg_sleep(' },
  mysql: {
    statement: (s) => `select sleep(n * ${s}) from (select 1 as n union all select 0) as two_rows;`,
    fragment: 'sleep(',
  },
};

/** The long statement of `engine`'s dialect (see {@link SLEEP}). */
export function sleepOf(engine: TestEngine): (typeof SLEEP)[DialectName] {
  return SLEEP[dialectOf(engine)];
}

/** Kysely's rows, oldest first; none when its table was never made. */
export async function appliedNames(db: Kysely<any>): Promise<string[]> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    return rows.map((row) => row.name);
  } catch {
    return [];
  }
}

/** The names in the progress table (migrations stopped half-way); none without the table. */
export async function progressNames(db: Kysely<any>): Promise<string[]> {
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(PROGRESS_TABLE)}`.execute(db);
    return rows.map((row) => row.name);
  } catch {
    return [];
  }
}

/**
 * Whether a session of the target's database holds Kysely's migration lock. MySQL's lock
 * names are server-wide: a test on another database of the shared server may hold it.
 */
export async function lockIsHeld(engine: TestEngine, db: Kysely<any>): Promise<boolean> {
  if (dialectOf(engine) === 'mysql') {
    const { rows } = await sql<{ held: number }>`select count(*) as held from information_schema.processlist
      where id = is_used_lock(${MYSQL_LOCK_NAME}) and db = database()`.execute(db);
    return Number(rows[0]?.held ?? 0) > 0;
  }
  const { rows } = await sql<{ held: number }>`select count(*)::int as held from pg_locks
    where locktype = 'advisory' and granted and objsubid = 1
      and classid = ${Number(POSTGRES_LOCK_ID >> 32n)}::oid and objid = ${Number(POSTGRES_LOCK_ID & 0xffffffffn)}::oid
      and database = (select oid from pg_database where datname = current_database())`.execute(db);
  return (rows[0]?.held ?? 0) > 0;
}

/** Waits until a statement containing `fragment` runs in the target's database. */
export async function waitUntilRunning(
  engine: TestEngine,
  db: Kysely<any>,
  fragment: string,
  stillAlive: () => boolean,
): Promise<void> {
  const like = `%${fragment}%`;
  const query =
    dialectOf(engine) === 'postgres'
      ? sql`select pid from pg_stat_activity where datname = current_database() and state = 'active'
          and query like ${like} and pid <> pg_backend_pid()`
      : sql`select id from information_schema.processlist where db = database() and info like ${like}
          and id <> connection_id()`;
  while ((await query.execute(db)).rows.length === 0) {
    if (!stillAlive()) throw new Error(`the run ended before ${fragment} ran`);
    await delay(100);
  }
}

/**
 * Takes Kysely's migration lock on one connection of `db`, as another deploy would, and
 * holds it until `work` ends; gives `work` the holding session's id.
 */
export async function holdingKyselyLock<T>(
  engine: TestEngine,
  db: Kysely<any>,
  work: (session: number) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    const take =
      dialectOf(engine) === 'postgres'
        ? sql<{ id: number }>`select pg_backend_pid() as id, pg_advisory_lock(${sql.lit(POSTGRES_LOCK_ID)})`
        : sql<{ id: number }>`select connection_id() as id, get_lock(${MYSQL_LOCK_NAME}, 5)`;
    const { rows } = await take.execute(connection);
    try {
      return await work(Number(rows[0]?.id));
    } finally {
      const release =
        dialectOf(engine) === 'postgres'
          ? sql`select pg_advisory_unlock(${sql.lit(POSTGRES_LOCK_ID)})`
          : sql`select release_lock(${MYSQL_LOCK_NAME})`;
      await release.execute(connection);
    }
  });
}
