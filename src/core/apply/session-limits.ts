import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/** How long a migration may wait for a lock and run one statement on the target. */
export interface SessionLimits {
  readonly lockTimeoutMs?: number;
  readonly statementTimeoutMs?: number;
}

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
  const { lockTimeoutMs: lock, statementTimeoutMs: statement } = limits;
  if (lock === undefined && statement === undefined) return async () => {};
  if (dialect === 'postgres') {
    const local = sql.lit(inTransaction);
    if (lock !== undefined)
      await sql`select set_config('lock_timeout', ${`${lock}ms`}, ${local})`.execute(db);
    if (statement !== undefined)
      await sql`select set_config('statement_timeout', ${`${statement}ms`}, ${local})`.execute(db);
    if (inTransaction) return async () => {};
    return async () => {
      await sql`reset lock_timeout`.execute(db);
      await sql`reset statement_timeout`.execute(db);
    };
  }
  if (lock !== undefined)
    await sql`set session lock_wait_timeout = ${sql.lit(Math.max(1, Math.ceil(lock / 1000)))}`.execute(db);
  if (statement !== undefined) {
    if (mariadb) await sql`set session max_statement_time = ${sql.lit(statement / 1000)}`.execute(db);
    else await sql`set session max_execution_time = ${sql.lit(statement)}`.execute(db);
  }
  return async () => {
    await sql`set session lock_wait_timeout = default`.execute(db);
    if (mariadb) await sql`set session max_statement_time = default`.execute(db);
    else await sql`set session max_execution_time = default`.execute(db);
  };
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
