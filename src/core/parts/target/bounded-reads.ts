import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import { applyLimits } from './session-limits.ts';

/** What the counting queries need to know of the target's server. */
export interface ServerTraits {
  /** Postgres 16+: `pg_input_is_valid` judges a cast as the server would. */
  readonly castCheck: boolean;
}

/**
 * Bounds every statement the read-only session runs from now on by `timeoutMs` (Postgres
 * `statement_timeout`, MariaDB `max_statement_time`, MySQL `max_execution_time`): the session
 * ends after the reads, so nothing is reset. Returns the server's traits.
 */
export async function boundReads(
  db: Kysely<any>,
  dialect: DialectName,
  timeoutMs: number,
): Promise<ServerTraits> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{
      version: string;
    }>`select current_setting('server_version_num') as version`.execute(db);
    await applyLimits(db, dialect, { statementTimeoutMs: timeoutMs }, false, false);
    // pg_input_is_valid came with Postgres 16.
    return { castCheck: Number(rows[0]?.version) >= 160_000 };
  }
  const { rows } = await sql<{ version: string }>`select version() as version`.execute(db);
  await applyLimits(
    db,
    dialect,
    { statementTimeoutMs: timeoutMs },
    false,
    /mariadb/i.test(rows[0]?.version ?? ''),
  );
  return { castCheck: false };
}
