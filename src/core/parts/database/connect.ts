import { hostname } from 'node:os';
import { CompiledQuery, Kysely, MysqlDialect, PostgresDialect, sql } from 'kysely';
import type { DatabaseConnection, KyselyConfig } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import { UsageError, messageOf } from '../../model/errors.ts';
import type { ConnectionTarget } from './connection-url.ts';
import { redactSecrets } from './redaction.ts';

/** How long connecting may take before the engine gives up with a clear error. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 8_000;

/**
 * Who this session is, as the server shows it (pg_stat_activity.application_name, MySQL's
 * connection attributes): a session holding Kysely's lock can be traced to its process.
 * Postgres keeps 63 characters.
 */
export const SESSION_NAME = `migration-gate pid ${process.pid} on ${hostname()}`.slice(0, 63);

/**
 * Bounds that keep a session from outliving its client, set on every Postgres session where
 * the server knows them (client_connection_check_interval is Postgres 14+):
 * - client_connection_check_interval: a client killed during a long statement is noticed
 *   within 5 s and the statement stopped, releasing its locks (without it the server runs
 *   the statement to its end before it reads the closed socket);
 * - idle_in_transaction_session_timeout: a transaction left open by a vanished client ends
 *   after 10 min; a migration that thinks longer than that between statements is not one;
 * - tcp_keepalives_*: a client whose host or network vanished (no FIN) is found in about a
 *   minute (30 s idle, then 3 probes 10 s apart) instead of the system's two hours.
 */
const POSTGRES_SESSION_BOUNDS: readonly (readonly [string, string])[] = [
  ['client_connection_check_interval', '5s'],
  ['idle_in_transaction_session_timeout', '10min'],
  ['tcp_keepalives_idle', '30'],
  ['tcp_keepalives_interval', '10'],
  ['tcp_keepalives_count', '3'],
];

/**
 * MySQL and MariaDB end a session idle this long (`wait_timeout`, seconds; their default is
 * 8 h): a session whose client vanished without closing its socket, holding Kysely's lock,
 * frees it within 10 min. The run itself never idles a session that long: the lock's session
 * is pinged while the backup runs (see kysely-lock.ts), and the pool drops connections the
 * server closed.
 */
const MYSQL_WAIT_TIMEOUT_S = 600;

/** TCP keepalives from the client side: a server gone without a word is noticed too. */
const KEEPALIVE_DELAY_MS = 10_000;

/** Options for {@link openDatabase}. */
export interface ConnectOptions {
  /** Kysely's log hook, used to capture the SQL migrations run. */
  readonly log?: KyselyConfig['log'];
  readonly connectTimeoutMs?: number;
  /**
   * False for a throwaway database: commits need not wait for the disk (Postgres
   * `synchronous_commit = off`), since nothing in it must survive a crash. The proof commits
   * once per step, so this matters.
   */
  readonly durable?: boolean;
}

/** An open, verified connection to a server database. */
export interface OpenDatabase {
  readonly db: Kysely<any>;
  /** `15.20`, `10.11.19-MariaDB-0+deb12u1`, `8.4.3`. */
  readonly serverVersion: string;
}

/**
 * Connects to `target` and proves the connection works with one query, so that a wrong
 * password or an unreachable host fails here, within the connect timeout, with a message
 * that names the server but never the credentials.
 */
export async function openDatabase(
  target: ConnectionTarget,
  options: ConnectOptions = {},
): Promise<OpenDatabase> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const db = new Kysely<any>({
    dialect:
      target.dialect === 'postgres'
        ? postgresDialect(target, timeoutMs, options.durable ?? true)
        : mysqlDialect(target, timeoutMs),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  try {
    const serverVersion = await readServerVersion(db, target);
    return { db, serverVersion };
  } catch (error) {
    await db.destroy().catch(() => {});
    throw connectionError(error, target, timeoutMs);
  }
}

function postgresDialect(target: ConnectionTarget, timeoutMs: number, durable: boolean): PostgresDialect {
  const pool = new pg.Pool({
    connectionString: target.url.href,
    ...(durable ? {} : { options: '-c synchronous_commit=off' }),
    connectionTimeoutMillis: timeoutMs,
    max: 4,
    application_name: SESSION_NAME,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    // An idle scratch connection must not keep the process alive after the run.
    idleTimeoutMillis: 1_000,
    allowExitOnIdle: true,
  });
  // An idle client ended by the server (a scratch database dropped WITH (FORCE), a restart)
  // must not crash the process: the pool replaces it on the next query.
  pool.on('error', () => {});
  // Likewise a session ended while a query runs on it (a scratch database dropped WITH (FORCE)
  // on SIGINT/SIGTERM): the query fails with the error, the client must not also throw it.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new PostgresDialect({ pool, onCreateConnection: boundPostgresSession });
}

function mysqlDialect(target: ConnectionTarget, timeoutMs: number): MysqlDialect {
  return new MysqlDialect({
    pool: createMysqlPool({
      uri: target.url.href.replace(/^mariadb:/, 'mysql:'),
      connectTimeout: timeoutMs,
      connectionLimit: 4,
      // SQL migration files are often run whole.
      multipleStatements: true,
      supportBigNumbers: true,
      dateStrings: true,
      enableKeepAlive: true,
      keepAliveInitialDelay: KEEPALIVE_DELAY_MS,
      connectAttributes: { program_name: SESSION_NAME },
    }),
    onCreateConnection: (connection) =>
      connection
        .executeQuery(CompiledQuery.raw(`set session wait_timeout = ${MYSQL_WAIT_TIMEOUT_S}`))
        .then(() => {}),
  });
}

/** Sets {@link POSTGRES_SESSION_BOUNDS}, only those this server knows, in one round trip. */
async function boundPostgresSession(connection: DatabaseConnection): Promise<void> {
  const values = POSTGRES_SESSION_BOUNDS.map(([name, value]) => `('${name}', '${value}')`).join(', ');
  await connection.executeQuery(
    CompiledQuery.raw(`select set_config(s.name, s.value, false)
      from (values ${values}) as s(name, value)
      where s.name in (select name from pg_settings)`),
  );
}

async function readServerVersion(db: Kysely<any>, target: ConnectionTarget): Promise<string> {
  if (target.dialect === 'postgres') {
    const result = await sql<{ server_version: string }>`show server_version`.execute(db);
    return result.rows[0]?.server_version ?? 'unknown';
  }
  const result = await sql<{ version: string }>`select version() as version`.execute(db);
  return result.rows[0]?.version ?? 'unknown';
}

/** Turns a driver's connection failure into a message a person can act on. */
export function connectionError(error: unknown, target: ConnectionTarget, timeoutMs: number): UsageError {
  const code = (error as { code?: unknown } | null)?.code;
  const where = target.display;
  const user = decodeURIComponent(target.url.username) || '(default user)';
  const detail = redactSecrets(messageOf(error));
  let message: string;
  switch (code) {
    case '28P01':
    case 'ER_ACCESS_DENIED_ERROR':
      message = `cannot log in to ${where} as ${user}: wrong password or user (${detail})`;
      break;
    case '28000':
      message = `the server ${where} refused user ${user} (${detail})`;
      break;
    case '3D000':
    case 'ER_BAD_DB_ERROR':
      message = `database ${target.database ?? ''} does not exist on ${where}`;
      break;
    case 'ECONNREFUSED':
      message = `nothing is listening at ${where}: connection refused`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `cannot resolve host ${target.url.hostname} of ${where}`;
      break;
    case 'ETIMEDOUT':
      message = `${where} did not answer within ${timeoutMs / 1000} s`;
      break;
    default:
      message = /timeout|timed out/i.test(detail)
        ? `${where} did not answer within ${timeoutMs / 1000} s`
        : `cannot connect to ${where}: ${detail}`;
  }
  return new UsageError(message, { cause: error });
}
