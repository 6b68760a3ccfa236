import { open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { parseConnectionUrl } from '../database/connection-url.ts';
import { redactSecrets } from '../database/redaction.ts';
import type { ConnectionTarget } from '../database/connection-url.ts';
import { messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import { failed } from '../../model/outcome.ts';
import type { Outcome } from '../../model/outcome.ts';
import { createSnapshotter } from '../schema/create-snapshotter.ts';
import { createBackupEngine } from './create-backup-engine.ts';
import { digestFile, manifestPathOf, readManifest, sha256Of } from './backup-files.ts';
import type { BackupManifest } from '../../model/backup-record.ts';
import { openToolSession } from './tool-session.ts';
import { describeCountDifferences } from './compare-restored.ts';
import { asDumpedAndRestored } from './dump-equivalence.ts';
import type { BackupToolOptions } from './tool-session.ts';
import { lastLines } from './take-backup.ts';
import { passwordOf } from './url-credentials.ts';
import { restoreBySwap } from './mysql-swap-restore.ts';
import type { ChosenTool } from './backup-tool.ts';

/** What {@link restoreBackup} needs besides the file and the target. */
export interface RestoreBackupOptions extends BackupToolOptions {
  readonly logger: Logger;
  /** The manifest; `<stem>.manifest.json` beside the file by default. Required to exist. */
  readonly manifestPath?: string;
  readonly connectTimeoutMs?: number;
}

/** The outcome of {@link restoreBackup}. */
export type RestoreBackupResult = Outcome<{
  readonly durationMs: number;
  /**
   * How the target still differs from the backup after the restore, in words: objects
   * created after the backup stay (a restore drops and recreates only what the backup
   * holds). Empty when schema and row counts match the manifest.
   */
  readonly differences: readonly string[];
}>;

/**
 * Restores a backup taken by takeBackup into the target `targetUrl` names: Postgres with
 * `pg_restore --clean --if-exists --single-transaction --exit-on-error` (all or nothing);
 * MySQL/MariaDB, whose DDL is not transactional, by loading the dump into a scratch database and
 * swapping its tables in atomically (see restoreBySwap): either way a failure changes nothing.
 * The file must still match its manifest's sha256, and the target must be of the engine it
 * came from. Taking a fresh backup of the target first is the caller's job (rollback's
 * `restore:` does it). Afterwards the target's row counts and schema hash are compared with the
 * manifest. Never throws for expected failures.
 */
export async function restoreBackup(
  backupPath: string,
  targetUrl: string,
  options: RestoreBackupOptions,
): Promise<RestoreBackupResult> {
  let target: ConnectionTarget;
  try {
    target = parseConnectionUrl(targetUrl);
  } catch (error) {
    return failed(messageOf(error));
  }
  const secrets = [passwordOf(target)].filter((secret) => secret !== '');
  try {
    return await restore(backupPath, target, options, secrets);
  } catch (error) {
    let message = redactSecrets(messageOf(error));
    for (const secret of secrets) message = message.split(secret).join('***');
    return failed(`restoring ${backupPath} into ${target.display} failed: ${message}`);
  }
}

async function restore(
  backupPath: string,
  target: ConnectionTarget,
  options: RestoreBackupOptions,
  secrets: readonly string[],
): Promise<RestoreBackupResult> {
  const started = performance.now();
  const manifestPath = options.manifestPath ?? manifestPathOf(backupPath);
  if (!existsSync(backupPath)) return failed(`no backup file at ${backupPath}`);
  if (!existsSync(manifestPath)) return failed(`no manifest beside the backup: ${manifestPath}`);
  const manifest = await readManifest(manifestPath);
  if (manifest.engine !== target.dialect) {
    return failed(`the backup is of a ${manifest.engine} database, the target is ${target.dialect}`);
  }
  const digest = await digestFile(backupPath);
  if (digest.sha256 !== manifest.sha256) {
    return failed(`the backup file ${backupPath} does not match its manifest (sha256 differs): it changed`);
  }
  if (target.database === undefined) return failed(`the target URL ${target.display} names no database`);
  const session = await openToolSession(target, 'restore', options, 'cannot restore into the target');
  if (!session.ok) return session;
  const { db, tool } = session;
  try {
    options.logger.info(`restoring ${backupPath} into ${target.display} with ${tool.name} ${tool.version}`);
    if (target.dialect === 'mysql') {
      const swapped = await restoreBySwap(backupPath, { ...target, database: target.database }, manifest, {
        logger: options.logger,
        tool,
        secrets,
        ...(options.toolTimeoutMs === undefined ? {} : { toolTimeoutMs: options.toolTimeoutMs }),
      });
      if (!swapped.ok) return swapped;
    } else {
      const restored = await restoreInOneTransaction(backupPath, target, tool, options, secrets);
      if (!restored.ok) return restored;
    }
    const differences = await compareWithManifest(db, target, manifest);
    const durationMs = Math.round(performance.now() - started);
    options.logger.info(`restored ${backupPath} into ${target.display} in ${durationMs} ms`);
    return { ok: true, durationMs, differences };
  } finally {
    await db.destroy().catch(() => {});
  }
}

/** pg_restore with --single-transaction: a failure or an interrupt rolls everything back. */
async function restoreInOneTransaction(
  backupPath: string,
  target: ConnectionTarget,
  tool: ChosenTool,
  options: RestoreBackupOptions,
  secrets: readonly string[],
): Promise<Outcome> {
  const engine = createBackupEngine(target.dialect);
  const file = await open(backupPath, 'r');
  try {
    const exit = await tool.run(engine.restoreArgs(target, 'replace'), {
      env: engine.environment(target),
      secrets,
      stdin: file.fd,
      ...(options.toolTimeoutMs === undefined ? {} : { timeoutMs: options.toolTimeoutMs }),
    });
    if (exit.code === 0) return { ok: true };
    return failed(
      `${tool.name} failed restoring into ${target.display} (nothing was changed: one transaction)`,
      [lastLines(exit.stderr)],
    );
  } finally {
    await file.close();
  }
}

async function compareWithManifest(
  db: Parameters<ReturnType<typeof createBackupEngine>['countRows']>[0],
  target: ConnectionTarget,
  manifest: BackupManifest,
): Promise<string[]> {
  const engine = createBackupEngine(target.dialect);
  const differences = describeCountDifferences(manifest.rowCounts, await engine.countRows(db)).map((line) =>
    line
      .replace(' in the target, ', ' in the backup, ')
      .replace(' is not in the target but was restored', ' is not in the backup'),
  );
  const schema = await createSnapshotter(target.dialect).take(db, { excludeTables: [] });
  if (sha256Of(JSON.stringify(asDumpedAndRestored(schema))) !== manifest.schemaSnapshotSha256) {
    differences.unshift(
      'schema: the target schema differs from the one backed up (objects created after the backup stay)',
    );
  }
  return differences;
}
