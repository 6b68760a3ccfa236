import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ConnectionTarget } from '../database/connection-url.ts';
import type { RowCounts } from '../../model/backup-record.ts';
import type { BackupEngine, RestoreMode } from './backup-engine.ts';
import type { ServerFamily } from '../../model/engine-version.ts';
import { passwordOf, userOf } from './url-credentials.ts';

/** mariadb-dump/mysqldump and the mariadb/mysql client. */
export class MysqlBackupEngine implements BackupEngine {
  readonly dialect = 'mysql';
  readonly fileExtension = '.sql';

  environment(target: ConnectionTarget): Record<string, string> {
    const password = passwordOf(target);
    return password === '' ? {} : { MYSQL_PWD: password };
  }

  dumpArgs(target: ConnectionTarget, _snapshotId: string | undefined, family: ServerFamily): string[] {
    return [
      ...connectionArgs(target),
      '--single-transaction',
      '--routines',
      '--triggers',
      '--events',
      '--hex-blob',
      // MySQL's mysqldump writes SET @@GLOBAL.GTID_PURGED on a GTID server, which a restore into
      // a server with GTIDs of its own refuses; MariaDB's tools have no such option.
      ...(family === 'mysql' ? ['--set-gtid-purged=OFF'] : []),
      // Without --databases the dump names no database, so it restores into any.
      target.database ?? '',
    ];
  }

  restoreArgs(target: ConnectionTarget, _mode: RestoreMode): string[] {
    // The dump drops each table and view before creating it: `replace` needs nothing more.
    return [
      ...connectionArgs(target),
      '--connect-timeout=10',
      '--binary-mode',
      `--database=${target.database ?? ''}`,
    ];
  }

  async readConsistently<T>(
    db: Kysely<any>,
    read: (db: Kysely<any>) => Promise<T>,
    dump: (snapshotId: string | undefined) => Promise<void>,
  ): Promise<T> {
    // mysqldump cannot join another session's snapshot: read right before it starts its own.
    const value = await db.connection().execute(async (connection) => {
      await sql`start transaction with consistent snapshot, read only`.execute(connection);
      try {
        return await read(connection);
      } finally {
        await sql`rollback`.execute(connection).catch(() => {});
      }
    });
    await dump(undefined);
    return value;
  }

  async countRows(db: Kysely<any>): Promise<RowCounts> {
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = database() and table_type = 'BASE TABLE'
      order by table_name`.execute(db);
    const counts: Record<string, number> = {};
    for (let i = 0; i < tables.rows.length; i += 100) {
      const parts = tables.rows
        .slice(i, i + 100)
        .map((table) => sql`select ${table.name} as name, count(*) as n from ${sql.id(table.name)}`);
      const result = await sql<{
        name: string;
        n: string | number;
      }>`${sql.join(parts, sql` union all `)}`.execute(db);
      for (const row of result.rows) counts[row.name] = Number(row.n);
    }
    return counts;
  }
}

function connectionArgs(target: ConnectionTarget): string[] {
  const user = userOf(target);
  return [
    '--protocol=tcp',
    `--host=${target.url.hostname.replace(/^\[(.*)\]$/, '$1')}`,
    `--port=${target.url.port || '3306'}`,
    ...(user === '' ? [] : [`--user=${user}`]),
  ];
}
