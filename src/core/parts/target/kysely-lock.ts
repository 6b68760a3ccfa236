import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';

// Kysely 0.28's own migration lock (postgres-adapter.js, mysql-adapter.js), taken the same way,
// so that Kysely's Migrator and this tool exclude each other. Both are session locks: they
// hold on the one connection that takes them and end with its session if the process dies.

/** Kysely's Postgres advisory lock key. */
const POSTGRES_LOCK_ID = 3853314791062309107n;
/** Kysely's MySQL `get_lock` name. */
const MYSQL_LOCK_NAME = 'ea586330-2c93-47c8-908d-981d9d270f9d';
/** How long Kysely waits for the lock: an hour. */
const LOCK_TIMEOUT_SECONDS = 60 * 60;

/**
 * Runs `work` on one dedicated connection of `db` that holds Kysely's migration lock for its
 * whole duration, released at the end whether `work` succeeded or not.
 */
export async function withKyselyLock<T>(
  db: Kysely<any>,
  dialect: DialectName,
  work: (connection: Kysely<any>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await acquire(connection, dialect);
    try {
      return await work(connection);
    } finally {
      await release(connection, dialect);
    }
  });
}

async function acquire(connection: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    // Kysely's statement: the timeout is local to this statement's implicit transaction.
    await sql`with set_timeout as (
      select set_config('lock_timeout', '${sql.lit(LOCK_TIMEOUT_SECONDS * 1000)}', true) as config_val
    )
    select pg_advisory_lock(${sql.lit(POSTGRES_LOCK_ID)})
    from set_timeout`.execute(connection);
    return;
  }
  const { rows } = await sql<{
    locked: number | null;
  }>`select get_lock(${sql.lit(MYSQL_LOCK_NAME)}, ${sql.lit(LOCK_TIMEOUT_SECONDS)}) as locked`.execute(
    connection,
  );
  // Kysely ignores the answer; running without the lock after an hour's wait would be worse.
  if (Number(rows[0]?.locked) !== 1)
    throw new Error(`Kysely's migration lock was not granted within ${LOCK_TIMEOUT_SECONDS} s`);
}

async function release(connection: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres')
    await sql`select pg_advisory_unlock(${sql.lit(POSTGRES_LOCK_ID)})`.execute(connection);
  else await sql`select release_lock(${sql.lit(MYSQL_LOCK_NAME)})`.execute(connection);
}
