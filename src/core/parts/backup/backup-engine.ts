import type { Kysely } from 'kysely';
import type { ConnectionTarget } from '../database/connection-url.ts';
import type { DialectName } from '../../model/dialect.ts';
import type { RowCounts } from '../../model/backup-record.ts';
import type { ServerFamily } from '../../model/engine-version.ts';

/** How a restore treats what is already in the database. */
export type RestoreMode =
  /** An empty scratch database: no owners or grants, which may name roles it lacks. */
  | 'scratch'
  /** A live target: drop each object of the backup that exists, then recreate it. */
  | 'replace';

/** The command lines and catalog reads of one engine's backups. One class per dialect. */
export interface BackupEngine {
  readonly dialect: DialectName;
  /** `.dump` (pg_dump custom format) or `.sql`. */
  readonly fileExtension: string;
  /** The password as the client programs read it (PGPASSWORD, MYSQL_PWD) plus connect settings. */
  environment(target: ConnectionTarget): Record<string, string>;
  /** Arguments of the dump program for a server of `family`; it writes the backup to stdout. */
  dumpArgs(target: ConnectionTarget, snapshotId: string | undefined, family: ServerFamily): string[];
  /** Arguments of the restore program; it reads the backup from stdin. */
  restoreArgs(target: ConnectionTarget, mode: RestoreMode): string[];
  /**
   * Runs `read` and then `dump` so that what `read` sees is what the dump holds: on Postgres the
   * dump joins the read's exported snapshot; on MySQL/MariaDB the read happens right before the
   * dump's own consistent snapshot (a write in between makes verification fail, never pass).
   */
  readConsistently<T>(
    db: Kysely<any>,
    read: (db: Kysely<any>) => Promise<T>,
    dump: (snapshotId: string | undefined) => Promise<void>,
  ): Promise<T>;
  /** Exact row counts of every table of the database `db` is connected to. */
  countRows(db: Kysely<any>): Promise<RowCounts>;
}
