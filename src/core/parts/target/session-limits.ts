import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';

/**
 * How long a migration may wait for a lock and run one statement on the target, and how long
 * the run waits for Kysely's migration lock another session holds.
 */
export interface SessionLimits {
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
  /** Default {@link DEFAULT_LOCK_WAIT_MS}. */
  readonly lockWaitMs?: number;
}

/**
 * The default wait for Kysely's migration lock: long enough for another deploy's short
 * migrations to finish, short enough that a stuck holder is named before a CI job times out.
 */
export const DEFAULT_LOCK_WAIT_MS = 3 * 60_000;

/**
 * Sets the limits on the connection a migration runs on, right before its first statement.
 * Inside a transaction Postgres scopes them to it (`SET LOCAL`); otherwise they are session
 * settings, undone by the returned function so a pooled connection does not keep them.
 * MariaDB bounds every statement (`max_statement_time`, seconds); MySQL only SELECTs
 * (`max_execution_time`, ms).
 */
export async function applyLimits(
  db: Kysely<any>,
  dialect: DialectName,
  limits: SessionLimits,
  inTransaction: boolean,
  mariadb: boolean,
): Promise<() => Promise<void>> {
  const set = limitsSql(dialect, limits, inTransaction, mariadb);
  if (set === undefined) return async () => {};
  await set.execute(db);
  if (dialect === 'postgres') {
    if (inTransaction) return async () => {};
    return async () => {
      await sql`reset lock_timeout`.execute(db);
      await sql`reset statement_timeout`.execute(db);
    };
  }
  const statementVariable = sql.raw(mariadb ? 'max_statement_time' : 'max_execution_time');
  return async () => {
    await sql`set session lock_wait_timeout = default, ${statementVariable} = default`.execute(db);
  };
}

/**
 * The one statement that sets `limits` (see {@link applyLimits}), literals only so that
 * Postgres can take it in the same message as the BEGIN before it; undefined when unbounded.
 */
export function limitsSql(
  dialect: DialectName,
  limits: SessionLimits,
  local: boolean,
  mariadb: boolean,
): RawBuilder<unknown> | undefined {
  const { lockTimeoutMs: lock, statementTimeoutMs: statement } = limits;
  const settings: RawBuilder<unknown>[] = [];
  if (dialect === 'postgres') {
    const scope = sql.lit(local);
    if (lock !== undefined) settings.push(sql`set_config('lock_timeout', ${sql.lit(`${lock}ms`)}, ${scope})`);
    if (statement !== undefined)
      settings.push(sql`set_config('statement_timeout', ${sql.lit(`${statement}ms`)}, ${scope})`);
    return settings.length === 0 ? undefined : sql`select ${sql.join(settings)}`;
  }
  if (lock !== undefined)
    settings.push(sql`lock_wait_timeout = ${sql.lit(Math.max(1, Math.ceil(lock / 1000)))}`);
  if (statement !== undefined)
    settings.push(
      mariadb
        ? sql`max_statement_time = ${sql.lit(statement / 1000)}`
        : sql`max_execution_time = ${sql.lit(statement)}`,
    );
  return settings.length === 0 ? undefined : sql`set session ${sql.join(settings)}`;
}

/** Whether the target refused for a lock it waited on too long (Postgres 55P03, MySQL 1205). */
export function isLockTimeout(error: unknown): boolean {
  // A SQL migration's statement error wraps the driver's error as its cause.
  for (let current = error; current !== null && typeof current === 'object';) {
    const { code, errno, cause } = current as { code?: unknown; errno?: unknown; cause?: unknown };
    if (code === '55P03' || code === 'ER_LOCK_WAIT_TIMEOUT' || errno === 1205) return true;
    current = cause;
  }
  return false;
}
