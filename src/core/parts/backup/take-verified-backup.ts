import type { ConnectionTarget } from '../database/connection-url.ts';
import type { BackupRecord, BackupResult } from '../../model/backup-record.ts';
import type { BackupStep } from './backup-step.ts';
import type { TakeBackupOptions } from './take-backup.ts';
import { takeBackup } from './take-backup.ts';
import type { VerifyBackupOptions } from './verify-backup.ts';
import { verifyBackup } from './verify-backup.ts';

/** What {@link takeVerifiedBackup} needs besides the target. */
export interface TakeVerifiedBackupOptions
  extends TakeBackupOptions, Pick<VerifyBackupOptions, 'serverUrl' | 'verifyIn' | 'verifyImage'> {
  /** The folder backups are written under (`backup-dir`). */
  readonly dir: string;
}

/**
 * Takes a backup of `targetUrl` (see takeBackup) and verifies it (see verifyBackup), by default
 * on a scratch database of the target's own server. "No verified backup, no apply" is the
 * caller's rule: this only says which it is, as a value, never as an exception for an expected
 * failure. A failed verification leaves the file in place (named in the result, never shown).
 */
export async function takeVerifiedBackup(
  targetUrl: string,
  options: TakeVerifiedBackupOptions,
): Promise<BackupResult> {
  const taken = await takeBackup(targetUrl, options.dir, options);
  if (!taken.ok) {
    options.logger.warn(`no backup: ${taken.message}`);
    return taken;
  }
  const { backup } = taken;
  const verified = await verifyBackup(backup, { ...options, serverUrl: options.serverUrl ?? targetUrl });
  if (!verified.ok) {
    options.logger.warn(`backup ${backup.path} is not verified: ${verified.message}`);
    return { ...verified, path: backup.path, manifestPath: backup.manifestPath };
  }
  const counts = Object.values(backup.manifest.rowCounts);
  const record: BackupRecord = {
    path: backup.path,
    manifestPath: backup.manifestPath,
    sizeBytes: backup.manifest.sizeBytes,
    sha256: backup.manifest.sha256,
    verified: true,
    durationMs: backup.durationMs + verified.durationMs,
    dumpMs: backup.durationMs,
    verifyMs: verified.durationMs,
    engine: backup.manifest.engine,
    serverVersion: backup.manifest.serverVersion,
    tool: backup.manifest.tool,
    tableCount: counts.length,
    rowCount: counts.reduce((sum, count) => sum + count, 0),
    verifiedOn: verified.verifiedOn,
  };
  return { ok: true, record };
}

/**
 * The backup step with fixed settings, one call per target, keeping the reason of a failure.
 * `backup: none` is the caller's choice of not calling it at all.
 */
export function verifiedBackupStep(
  options: TakeVerifiedBackupOptions,
): (target: ConnectionTarget | string) => Promise<BackupResult> {
  return (target) => takeVerifiedBackup(typeof target === 'string' ? target : target.url.href, options);
}

/**
 * The backup step in the shape apply injects (`BackupStep` of core/apply/backup-step.ts):
 * the record when verified, else undefined after the reason and every difference were logged
 * as warnings (apply then refuses to change the target).
 */
export function backupStepForApply(options: TakeVerifiedBackupOptions): BackupStep {
  const step = verifiedBackupStep(options);
  const where =
    options.verifyIn === 'container' ? 'in a container' : "into a scratch database on the target's server";
  return Object.assign(
    async (target: ConnectionTarget) => {
      const result = await step(target);
      if (result.ok) return result.record;
      for (const detail of result.details) options.logger.warn(`  ${detail}`);
      return undefined;
    },
    { description: `a verified backup into ${options.dir}, restored ${where} and compared` },
  );
}
