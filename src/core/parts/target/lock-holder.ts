import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import { redactSecrets } from '../database/redaction.ts';

// Kysely 0.28's own migration lock (postgres-adapter.js, mysql-adapter.js): a session-level
// advisory lock on Postgres, a `get_lock` name on MySQL/MariaDB. Taken the same way so that
// Kysely's Migrator and this tool exclude each other; both end with the session that holds them.

/** Kysely's Postgres advisory lock key. */
export const POSTGRES_LOCK_ID = 3853314791062309107n;
/** Kysely's MySQL `get_lock` name; MySQL's names are server-wide, so every database shares it. */
export const MYSQL_LOCK_NAME = 'ea586330-2c93-47c8-908d-981d9d270f9d';

/** The longest part of a holder's running statement shown: enough to recognise it. */
const QUERY_SHOWN = 200;

/**
 * Who holds Kysely's migration lock, in words (session id, program, client, since when, what it
 * runs), or undefined when nobody does any more. Asked on `db`, any connection.
 */
export async function describeLockHolder(db: Kysely<any>, dialect: DialectName): Promise<string | undefined> {
  return dialect === 'postgres' ? postgresHolder(db) : mysqlHolder(db);
}

async function postgresHolder(db: Kysely<any>): Promise<string | undefined> {
  // A bigint advisory key shows in pg_locks as classid (high 32 bits), objid (low), objsubid 1;
  // advisory locks are per database.
  const high = POSTGRES_LOCK_ID >> 32n;
  const low = POSTGRES_LOCK_ID & 0xffffffffn;
  const { rows } = await sql<{
    pid: number;
    application_name: string | null;
    client: string | null;
    backend_start: string | null;
    xact_start: string | null;
    state: string | null;
    query: string | null;
  }>`select a.pid, a.application_name, host(a.client_addr) as client,
      to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as backend_start,
      to_char(a.xact_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as xact_start,
      a.state, a.query
    from pg_locks l left join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.objsubid = 1
      and l.classid = ${sql.lit(Number(high))}::oid and l.objid = ${sql.lit(Number(low))}::oid
      and l.database = (select oid from pg_database where datname = current_database())`.execute(db);
  const row = rows[0];
  if (row === undefined) return undefined;
  const parts = [
    row.application_name ? `application "${row.application_name}"` : 'no application name',
    row.client === null ? 'a local socket' : `client ${row.client}`,
    row.backend_start === null ? undefined : `connected since ${row.backend_start}`,
    row.xact_start === null ? undefined : `in a transaction since ${row.xact_start}`,
    row.state === null ? 'state not visible to this user' : `state ${row.state}`,
    row.query ? `${row.state === 'active' ? 'running' : 'last ran'}: ${shown(row.query)}` : undefined,
  ];
  return `Postgres session ${row.pid} (${parts.filter((part) => part !== undefined).join(', ')})`;
}

async function mysqlHolder(db: Kysely<any>): Promise<string | undefined> {
  const { rows } = await sql<{
    id: number | null;
  }>`select is_used_lock(${sql.lit(MYSQL_LOCK_NAME)}) as id`.execute(db);
  const id = rows[0]?.id;
  if (id === null || id === undefined) return undefined;
  const { rows: sessions } = await sql<{
    user: string;
    host: string;
    db: string | null;
    command: string;
    time: number;
    info: string | null;
  }>`select user, host, db, command, time, info from information_schema.processlist
    where id = ${sql.lit(Number(id))}`.execute(db);
  const session = sessions[0];
  if (session === undefined) return `connection ${id} (not visible to this user: it needs PROCESS)`;
  const program = await programOf(db, Number(id));
  const parts = [
    program,
    `user ${session.user}`,
    `client ${session.host}`,
    session.db === null ? undefined : `database ${session.db}`,
    `${session.command} for ${session.time} s`,
    session.info ? `running: ${shown(session.info)}` : undefined,
  ];
  return `connection ${id} (${parts.filter((part) => part !== undefined).join(', ')})`;
}

/**
 * The program the holder named when it connected (`program_name`, which this tool sets), where
 * performance_schema records it: MySQL 8 by default, MariaDB only when it is switched on.
 */
async function programOf(db: Kysely<any>, id: number): Promise<string | undefined> {
  try {
    const { rows } = await sql<{ attr_value: string }>`select attr_value
      from performance_schema.session_connect_attrs
      where processlist_id = ${sql.lit(id)} and attr_name = 'program_name'`.execute(db);
    return rows[0] === undefined ? undefined : `program "${rows[0].attr_value}"`;
  } catch {
    return undefined;
  }
}

/** One line, bounded, credentials removed: a statement is quoted, not dumped. */
function shown(query: string): string {
  const line = redactSecrets(query.replace(/\s+/g, ' ').trim());
  return line.length > QUERY_SHOWN ? `${line.slice(0, QUERY_SHOWN)}...` : line;
}
