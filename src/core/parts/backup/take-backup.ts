import { asDumpedAndRestored } from './dump-equivalence.ts';
import { mkdir, open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseConnectionUrl } from '../database/connection-url.ts';
import { redactSecrets } from '../database/redaction.ts';
import type { ConnectionTarget } from '../database/connection-url.ts';
import { messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import { failed } from '../../model/outcome.ts';
import type { Outcome } from '../../model/outcome.ts';
import { createSnapshotter } from '../schema/create-snapshotter.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import { createBackupEngine } from './create-backup-engine.ts';
import {
  BACKUP_DIR_MODE,
  BACKUP_FILE_MODE,
  backupStem,
  digestFile,
  sizeInWords,
  sha256Of,
  writeManifest,
} from './backup-files.ts';
import type { BackupManifest, RowCounts } from '../../model/backup-record.ts';
import { serverFamily } from '../database/engine-version.ts';
import { openToolSession } from './tool-session.ts';
import type { BackupToolOptions } from './tool-session.ts';
import { passwordOf } from './url-credentials.ts';

/** What {@link takeBackup} needs besides the target and the folder. */
export interface TakeBackupOptions extends BackupToolOptions {
  readonly logger: Logger;
  /** Bound of connecting to the target (see openDatabase). */
  readonly connectTimeoutMs?: number;
  readonly now?: () => Date;
}

/** A backup file just written, with what was read of the target alongside it. */
export interface TakenBackup {
  readonly path: string;
  readonly manifestPath: string;
  readonly manifest: BackupManifest;
  /** The target's schema, read in the dump's snapshot: what a restore must reproduce. */
  readonly schema: SchemaSnapshot;
  readonly durationMs: number;
}

/** The outcome of {@link takeBackup}: a failure is a value with its reason in words. */
export type TakeBackupResult = Outcome<{ readonly backup: TakenBackup }>;

/**
 * Takes a logical backup of the database `targetUrl` names into `dir` (created 0700 when
 * missing): `<database>-<UTC time>.dump` (pg_dump custom format) or `.sql` (mariadb-dump /
 * mysqldump), plus `<same>.manifest.json`, both mode 0600. The password reaches the dump
 * program through its environment (PGPASSWORD / MYSQL_PWD), never its command line; the
 * manifest holds no credentials and no data. Row counts and the schema snapshot are read in the
 * dump's own snapshot on Postgres (pg_dump --snapshot), and right before the dump on
 * MySQL/MariaDB (a write in that gap makes verification fail, never pass). Never throws: an
 * unreachable target, a missing tool or a failed dump is a failed outcome, and a partial
 * file is removed.
 */
export async function takeBackup(
  targetUrl: string,
  dir: string,
  options: TakeBackupOptions,
): Promise<TakeBackupResult> {
  let target: ConnectionTarget | undefined;
  try {
    target = parseConnectionUrl(targetUrl);
  } catch (error) {
    return failed(messageOf(error));
  }
  const secrets = [passwordOf(target)].filter((secret) => secret !== '');
  try {
    return await dumpTarget(target, resolve(dir), options);
  } catch (error) {
    let message = redactSecrets(messageOf(error));
    for (const secret of secrets) message = message.split(secret).join('***');
    return failed(`backup of ${target.display} failed: ${message}`);
  }
}

async function dumpTarget(
  target: ConnectionTarget,
  dir: string,
  options: TakeBackupOptions,
): Promise<TakeBackupResult> {
  const started = performance.now();
  const database = target.database;
  if (database === undefined) return failed(`the target URL ${target.display} names no database`);
  const engine = createBackupEngine(target.dialect);
  const session = await openToolSession(target, 'dump', options, 'cannot back up the target');
  if (!session.ok) return session;
  const { db, serverVersion, tool } = session;
  try {
    options.logger.info(
      `backing up ${target.display} with ${tool.name} ${tool.version}${tool.where === 'container' ? ` in a container of ${tool.image}` : ''}`,
    );
    await mkdir(dir, { recursive: true, mode: BACKUP_DIR_MODE });
    const takenAt = (options.now ?? (() => new Date()))();
    const stem = backupStem(database, takenAt);
    const path = join(dir, `${stem}${engine.fileExtension}`);
    const manifestPath = join(dir, `${stem}.manifest.json`);
    const snapshotter = createSnapshotter(target.dialect);
    const file = await open(path, 'wx', BACKUP_FILE_MODE);
    let read: { rowCounts: RowCounts; schema: SchemaSnapshot };
    try {
      await file.chmod(BACKUP_FILE_MODE);
      read = await engine.readConsistently(
        db,
        async (session) => ({
          rowCounts: await engine.countRows(session),
          schema: await snapshotter.take(session, { excludeTables: [] }),
        }),
        async (snapshotId) => {
          const exit = await tool.run(
            engine.dumpArgs(target, snapshotId, serverFamily(target.dialect, serverVersion)),
            {
              env: engine.environment(target),
              secrets: [passwordOf(target)].filter((secret) => secret !== ''),
              stdout: file.fd,
              ...(options.toolTimeoutMs === undefined ? {} : { timeoutMs: options.toolTimeoutMs }),
            },
          );
          if (exit.code !== 0) {
            throw new Error(
              exit.timedOut
                ? `${tool.name} did not finish within ${options.toolTimeoutMs} ms`
                : `${tool.name} exited with ${exit.code ?? 'a signal'}: ${lastLines(exit.stderr)}`,
            );
          }
        },
      );
    } catch (error) {
      await file.close().catch(() => {});
      // A partial dump is useless, and holds data: it goes.
      await rm(path, { force: true });
      throw error;
    }
    await file.close();
    const { sha256, sizeBytes } = await digestFile(path);
    if (sizeBytes === 0) {
      await rm(path, { force: true });
      return failed(`${tool.name} wrote nothing for ${target.display}`);
    }
    const { run: _run, ...toolUse } = tool;
    const manifest: BackupManifest = {
      format: 1,
      engine: target.dialect,
      serverVersion,
      target: target.display,
      database,
      takenAt: takenAt.toISOString(),
      tool: toolUse,
      file: `${stem}${engine.fileExtension}`,
      sizeBytes,
      sha256,
      rowCounts: read.rowCounts,
      schemaSnapshotSha256: sha256Of(JSON.stringify(asDumpedAndRestored(read.schema))),
    };
    await writeManifest(manifestPath, manifest);
    const durationMs = Math.round(performance.now() - started);
    options.logger.info(
      `backup of ${target.display} written: ${path} (${sizeInWords(sizeBytes)}, ${durationMs} ms)`,
    );
    return { ok: true, backup: { path, manifestPath, manifest, schema: read.schema, durationMs } };
  } finally {
    await db.destroy().catch(() => {});
  }
}

/** The end of a program's messages, where the reason usually is. */
export function lastLines(text: string, count = 5): string {
  return text.split('\n').filter(Boolean).slice(-count).join(' | ') || '(no message)';
}
