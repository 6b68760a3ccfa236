import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ConnectionTarget } from '../database/connection-url.ts';
import type { RowCounts } from '../../model/backup-record.ts';
import type { BackupEngine, RestoreMode } from './backup-engine.ts';
import { passwordOf } from './url-credentials.ts';

/** pg_dump/pg_restore, and row counts read in the dump's own snapshot. */
export class PostgresBackupEngine implements BackupEngine {
  readonly dialect = 'postgres';
  readonly fileExtension = '.dump';

  environment(target: ConnectionTarget): Record<string, string> {
    const password = passwordOf(target);
    // libpq's own connect timeout, so an unreachable server fails in bounded time.
    return { PGCONNECT_TIMEOUT: '10', ...(password === '' ? {} : { PGPASSWORD: password }) };
  }

  dumpArgs(target: ConnectionTarget, snapshotId: string | undefined): string[] {
    return [
      '--format=custom',
      '--no-password',
      ...(snapshotId === undefined ? [] : [`--snapshot=${snapshotId}`]),
      `--dbname=${withoutPassword(target)}`,
    ];
  }

  restoreArgs(target: ConnectionTarget, mode: RestoreMode): string[] {
    return [
      '--no-password',
      '--exit-on-error',
      '--single-transaction',
      ...(mode === 'scratch' ? ['--no-owner', '--no-acl'] : ['--clean', '--if-exists']),
      `--dbname=${withoutPassword(target)}`,
    ];
  }

  async readConsistently<T>(
    db: Kysely<any>,
    read: (db: Kysely<any>) => Promise<T>,
    dump: (snapshotId: string | undefined) => Promise<void>,
  ): Promise<T> {
    // A Kysely transaction, so the schema snapshotter reads inside it rather than opening its own.
    return await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const exported = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
        const value = await read(trx);
        // The exported snapshot lives as long as this transaction: pg_dump must run inside it.
        await dump(exported.rows[0]?.id);
        return value;
      });
  }

  async countRows(db: Kysely<any>): Promise<RowCounts> {
    const tables = await sql<{ schema: string; name: string }>`
      select n.nspname as schema, c.relname as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
        -- tables of extensions hold the extension's data, which pg_dump leaves to the extension
        and not exists (
          select 1 from pg_depend d
          where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e'
        )
      order by 1, 2`.execute(db);
    const counts: Record<string, number> = {};
    for (let i = 0; i < tables.rows.length; i += 100) {
      const chunk = tables.rows.slice(i, i + 100);
      const parts = chunk.map(
        (table) =>
          sql`select ${`${table.schema}.${table.name}`}::text as key, count(*)::bigint as n from ${sql.id(table.schema, table.name)}`,
      );
      const result = await sql<{ key: string; n: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
      for (const row of result.rows) counts[row.key] = Number(row.n);
    }
    return counts;
  }
}

/** The URL libpq is given: credentials but the password, which travels in PGPASSWORD. */
function withoutPassword(target: ConnectionTarget): string {
  const url = new URL(target.url.href);
  url.password = '';
  // libpq knows postgres:// and postgresql://; the URL may carry sslmode and other parameters.
  return url.href;
}
