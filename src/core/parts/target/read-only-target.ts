import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ConnectionTarget } from '../database/connection-url.ts';
import { openDatabase } from '../database/connect.ts';
import type { DialectName } from '../../model/dialect.ts';

/** A session on a target database that cannot write, whatever it is asked to run. */
export interface ReadOnlySession {
  /** Bound to one connection, which is read only. */
  readonly db: Kysely<any>;
  readonly dialect: DialectName;
  /** The target in words, e.g. `PostgreSQL 16.4 at postgres://db.example.com:5432/app`: no credentials. */
  readonly description: string;
}

/**
 * Opens `target` read only, runs `read` on one read-only session and closes the connection.
 * Postgres gets `default_transaction_read_only` as a connection option, so every transaction of
 * the session refuses writes; MySQL/MariaDB gets `SET SESSION TRANSACTION READ ONLY` on the one
 * connection `read` is given. Connecting is bounded by the connect timeout, and a failure names
 * the server, never the credentials (see openDatabase).
 */
export async function withReadOnlySession<T>(
  target: ConnectionTarget,
  read: (session: ReadOnlySession) => Promise<T>,
  options: { readonly connectTimeoutMs?: number } = {},
): Promise<T> {
  const { db, serverVersion } = await openDatabase(
    target.dialect === 'postgres' ? withReadOnlyStartupOption(target) : target,
    options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs },
  );
  try {
    return await db.connection().execute(async (connection) => {
      if (target.dialect === 'mysql') await sql`set session transaction read only`.execute(connection);
      return await read({
        db: connection,
        dialect: target.dialect,
        description: `${engineName(target.dialect, serverVersion)} at ${target.display}`,
      });
    });
  } finally {
    await db.destroy();
  }
}

/** The target with `-c default_transaction_read_only=on` added to the URL's startup options. */
function withReadOnlyStartupOption(target: ConnectionTarget): ConnectionTarget {
  const url = new URL(target.url.href);
  const given = url.searchParams.get('options');
  const readOnly = '-c default_transaction_read_only=on';
  url.searchParams.set('options', given === null || given === '' ? readOnly : `${given} ${readOnly}`);
  return { ...target, url };
}

/** `PostgreSQL 15.20`, `MariaDB 10.11.19`, `MySQL 8.4.3`. */
function engineName(dialect: DialectName, version: string): string {
  if (dialect === 'postgres') return `PostgreSQL ${version}`;
  const mariadb = /^([\d.]+)-MariaDB/i.exec(version);
  return mariadb === null ? `MySQL ${version}` : `MariaDB ${mariadb[1]}`;
}
