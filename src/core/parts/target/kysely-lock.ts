import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { Logger } from '../../model/logger.ts';
import type { Outcome } from '../../model/outcome.ts';
import { redactSecrets } from '../database/redaction.ts';
import { registerInterruptCleanup, settlesWithin } from '../throwaway/interrupt-cleanup.ts';
import { MYSQL_LOCK_NAME, POSTGRES_LOCK_ID, describeLockHolder } from './lock-holder.ts';

/** How long one attempt blocks on the lock: a waiting run says so at least this often. */
const ATTEMPT_MS = 10_000;
/**
 * How often a held lock's session is pinged until the migrations claim it, while the run
 * judges, proves and backs up elsewhere: well under the idle bound set on every session (see
 * connect.ts), so the lock is never lost.
 */
const PING_MS = 60_000;
/**
 * How long an interrupted run has, once its statement is cancelled, to fail and release the
 * lock itself; past it the lock's session is ended on the server, which releases the lock. The
 * shell's whole cleanup bound is longer, so the lock never outlives the process.
 */
const STOP_GRACE_MS = 5_000;

/** How long a run waits for another session's lock, and where it says it waits. */
export interface LockWait {
  readonly waitMs: number;
  readonly logger: Logger;
}

/** The lock stayed held by another session for the whole wait. */
export interface LockRefused {
  /** Who holds it, in words (see describeLockHolder). */
  readonly holder: string;
  readonly waitedMs: number;
}

/** Kysely's migration lock, held on one connection of the run's pool. */
export interface HeldLock {
  /**
   * The connection that holds the lock, for the run's migrations: its pings stop (the last
   * one awaited), so that no ping runs among a migration's statements.
   */
  claim(): Promise<Kysely<any>>;
}

/**
 * Runs `work` on one dedicated connection of `db` that holds Kysely's migration lock for its
 * whole duration, released at the end whether `work` succeeded or not. Another session holding
 * it is named, and waited for at most `wait.waitMs` with a line at least every
 * {@link ATTEMPT_MS}; then the outcome is refused with the holder. On SIGINT/SIGTERM the
 * statement running on the lock's session is cancelled from another connection, so that the
 * run fails, rolls back and releases the lock before the process exits.
 */
export async function withMigrationLock<T>(
  db: Kysely<any>,
  dialect: DialectName,
  wait: LockWait,
  work: (lock: HeldLock) => Promise<T>,
): Promise<Outcome<{ readonly value: T }, LockRefused>> {
  return db.connection().execute(async (connection) => {
    const session = await sessionId(connection, dialect);
    let released!: () => void;
    const done = new Promise<void>((resolve) => (released = resolve));
    const unregister = registerInterruptCleanup(async () => {
      wait.logger.warn(
        `cancelling the statement running on the target (session ${session}) and releasing the migration lock...`,
      );
      try {
        await cancel(db, dialect, session);
      } catch (error) {
        wait.logger.warn(
          `could not cancel it: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
        );
      }
      if (await settlesWithin(done, STOP_GRACE_MS)) return;
      wait.logger.warn(
        `the run did not stop within ${seconds(STOP_GRACE_MS)}: ending its session ${session} on the target, which releases the lock`,
      );
      await terminate(db, dialect, session);
    });
    try {
      const acquired = await acquire(connection, dialect, wait);
      if (!acquired.ok) return acquired;
      try {
        using lock = heldLock(connection);
        return { ok: true, value: await work(lock) };
      } finally {
        await release(connection, dialect);
      }
    } finally {
      unregister();
      released();
    }
  });
}

/** The lock's session, pinged until claimed. */
function heldLock(connection: Kysely<any>): HeldLock & Disposable {
  let ping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    ping = sql`select 1`.execute(connection).catch(() => {});
  }, PING_MS);
  return {
    async claim() {
      clearInterval(timer);
      await ping;
      return connection;
    },
    [Symbol.dispose]() {
      clearInterval(timer);
    },
  };
}

async function acquire(
  connection: Kysely<any>,
  dialect: DialectName,
  wait: LockWait,
): Promise<Outcome<object, LockRefused>> {
  if (await attempt(connection, dialect, 0)) return { ok: true };
  const started = performance.now();
  let holder = await describeLockHolder(connection, dialect);
  for (;;) {
    const waited = performance.now() - started;
    const left = wait.waitMs - waited;
    const who = holder ?? 'a session that has just released it';
    if (left <= 0) return { ok: false, holder: who, waitedMs: Math.round(waited) };
    wait.logger.warn(
      `waiting for Kysely's migration lock (${seconds(waited)} of at most ${seconds(wait.waitMs)}, see lock-wait), held by ${who}`,
    );
    if (await attempt(connection, dialect, Math.min(left, ATTEMPT_MS))) return { ok: true };
    holder = (await describeLockHolder(connection, dialect)) ?? holder;
  }
}

/** Tries to take the lock, blocking at most `ms` (0: not at all); whether it was granted. */
async function attempt(connection: Kysely<any>, dialect: DialectName, ms: number): Promise<boolean> {
  if (dialect === 'postgres') {
    if (ms === 0) {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_lock(${sql.lit(POSTGRES_LOCK_ID)}) as locked`.execute(connection);
      return rows[0]?.locked === true;
    }
    try {
      // The timeout is local to this statement's implicit transaction, as in Kysely's own.
      await sql`with set_timeout as (
        select set_config('lock_timeout', ${sql.lit(`${Math.ceil(ms)}ms`)}, true) as config_val
      )
      select pg_advisory_lock(${sql.lit(POSTGRES_LOCK_ID)}) from set_timeout`.execute(connection);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === '55P03') return false;
      throw error;
    }
  }
  // get_lock counts whole seconds; 0 answers at once.
  const timeout = ms === 0 ? 0 : Math.max(1, Math.round(ms / 1000));
  const { rows } = await sql<{
    locked: number | null;
  }>`select get_lock(${sql.lit(MYSQL_LOCK_NAME)}, ${sql.lit(timeout)}) as locked`.execute(connection);
  return Number(rows[0]?.locked) === 1;
}

async function release(connection: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres')
    await sql`select pg_advisory_unlock(${sql.lit(POSTGRES_LOCK_ID)})`.execute(connection);
  else await sql`select release_lock(${sql.lit(MYSQL_LOCK_NAME)})`.execute(connection);
}

async function sessionId(connection: Kysely<any>, dialect: DialectName): Promise<number> {
  const { rows } = await (
    dialect === 'postgres'
      ? sql<{ id: number }>`select pg_backend_pid() as id`
      : sql<{ id: number }>`select connection_id() as id`
  ).execute(connection);
  return Number(rows[0]?.id);
}

/** Stops the statement `session` runs, from another connection of `db`: the session stays. */
async function cancel(db: Kysely<any>, dialect: DialectName, session: number): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_cancel_backend(${sql.lit(session)})`.execute(db);
  else await sql`kill query ${sql.lit(session)}`.execute(db);
}

/** Ends `session` on the server, from another connection of `db`: its locks go with it. */
async function terminate(db: Kysely<any>, dialect: DialectName, session: number): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_terminate_backend(${sql.lit(session)})`.execute(db);
  else await sql`kill connection ${sql.lit(session)}`.execute(db);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
