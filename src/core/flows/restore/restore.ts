import type { Kysely } from 'kysely';
import { backupBeforeChange } from '../../parts/backup/backup-step.ts';
import { optional } from '../../model/optional.ts';
import type { BackupChoice } from '../../parts/backup/backup-step.ts';
import { restoreBackup } from '../../parts/backup/restore-backup.ts';
import type { BackupToolOptions } from '../../parts/backup/tool-session.ts';
import { parseConnectionUrl } from '../../parts/database/connection-url.ts';
import { openDatabase } from '../../parts/database/connect.ts';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import { DEFAULT_MIGRATION_TABLE, readAppliedMigrations } from '../../parts/target/applied-migrations.ts';
import { checkBackupSource, locateBackupSource } from './backup-source.ts';
import { describeRestoreFailure } from './restore-failure.ts';
import type { RestoreRefusal, RestoreResult } from '../../model/restore-result.ts';

/** Everything `restore` needs; both shells build one of these from their inputs. */
export interface RestoreRequest extends BackupToolOptions {
  /** The database to restore into; credentials included, never printed. */
  readonly targetUrl: string;
  /**
   * The backup: its file (the manifest `<stem>.manifest.json` beside it), its manifest, or a
   * folder holding exactly one backup (a downloaded workflow artifact). Relative to `cwd`.
   */
  readonly from: string;
  readonly cwd: string;
  /** The verified backup of the target taken before it is replaced, or `none`, said explicitly. */
  readonly backup: BackupChoice;
  /** Kysely's migration table, read afterwards to report the current migration. */
  readonly migrationTable?: string;
  readonly logger: Logger;
}

/**
 * Restores a backup into the target: the backup is checked first (file, manifest, sha256,
 * engine), then a fresh verified backup of the target is taken, then the backup is restored
 * and compared with its manifest, and the migration table is read to report where the target
 * now stands. An invalid backup or an unverified fresh one is refused with nothing taken or
 * changed. A folder holding no backup or several, or a URL without a database, is a UsageError.
 */
export async function runRestore(request: RestoreRequest): Promise<RestoreResult> {
  const started = performance.now();
  const target = parseConnectionUrl(request.targetUrl);
  if (target.database === undefined)
    throw new UsageError(`restore needs a database in the target URL, not only a server: ${target.display}`);
  const source = await locateBackupSource(request.from, request.cwd);
  const base = {
    dialect: target.dialect,
    database: target.display,
    from: source.path,
    differences: [],
    current: undefined,
  };
  const finish = (result: Omit<RestoreResult, 'durationMs'>): RestoreResult => ({
    ...result,
    durationMs: Math.round(performance.now() - started),
  });
  const refused = (refusal: RestoreRefusal, current?: string): RestoreResult => {
    request.logger.warn(refusal.message);
    return finish({ ...base, current, ok: false, outcome: 'refused', refusal });
  };

  const checked = await checkBackupSource(source, target.dialect);
  if (!checked.ok) return refused(checked.refusal);
  const { manifest } = checked;

  const { db } = await openDatabase(target);
  try {
    const table = request.migrationTable ?? DEFAULT_MIGRATION_TABLE;
    const before = (await readAppliedMigrations(db, target.dialect, table)).at(-1);
    const backedUp = await backupBeforeChange(
      request.backup,
      target,
      request.logger,
      'nothing restored',
      'fresh backup',
    );
    if (!backedUp.ok) return refused(backedUp.refusal, before);
    const backup = backedUp.backup;
    const backupPart = optional('backup', backup);

    request.logger.info(
      `restoring a backup of ${manifest.database} taken at ${manifest.takenAt} into ${target.display}`,
    );
    const restored = await restoreBackup(source.path, request.targetUrl, {
      logger: request.logger,
      manifestPath: source.manifestPath,
      ...toolOptions(request),
    });
    const current = await currentMigration(db, target.dialect, table);
    if (!restored.ok) {
      const failure = describeRestoreFailure(target.dialect, restored, source.path, backup?.path);
      request.logger.warn(`restore failed: ${failure.message}`);
      return finish({ ...base, ...backupPart, current, ok: false, outcome: 'failed', failure });
    }
    for (const difference of restored.differences) {
      request.logger.warn(`the target differs from the backup: ${difference}`);
    }
    return finish({
      ...base,
      ...backupPart,
      ok: true,
      outcome: 'restored',
      differences: restored.differences,
      current,
    });
  } finally {
    await db.destroy();
  }
}

/** The last applied migration; undefined when none is or the table cannot be read after a failure. */
async function currentMigration(
  db: Kysely<any>,
  dialect: DialectName,
  table: string,
): Promise<string | undefined> {
  try {
    return (await readAppliedMigrations(db, dialect, table)).at(-1);
  } catch {
    return undefined;
  }
}

function toolOptions(request: RestoreRequest): BackupToolOptions {
  return {
    ...(request.placement === undefined ? {} : { placement: request.placement }),
    ...(request.image === undefined ? {} : { image: request.image }),
    ...(request.toolEnvironment === undefined ? {} : { toolEnvironment: request.toolEnvironment }),
    ...(request.toolTimeoutMs === undefined ? {} : { toolTimeoutMs: request.toolTimeoutMs }),
  };
}
