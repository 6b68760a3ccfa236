import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { digestFile, manifestPathOf, readManifest } from '../../parts/backup/backup-files.ts';
import type { BackupManifest } from '../../model/backup-record.ts';
import { redactSecrets } from '../../parts/database/redaction.ts';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError, messageOf } from '../../model/errors.ts';
import type { Failed, Outcome } from '../../model/outcome.ts';
import type { RestoreRefusal } from '../../model/restore-result.ts';

const MANIFEST_SUFFIX = '.manifest.json';

/** A backup file and the manifest written beside it. */
export interface BackupSource {
  /** Absolute path of the backup file. */
  readonly path: string;
  readonly manifestPath: string;
}

/**
 * Finds the backup `from` names, relative to `cwd`: a backup file (its manifest beside it), its
 * manifest, or a folder holding exactly one backup, which is how a downloaded workflow artifact
 * arrives. A path that does not exist, or a folder with none or several, is a UsageError naming
 * it: the input is wrong, nothing about the target was judged.
 */
export async function locateBackupSource(from: string, cwd: string): Promise<BackupSource> {
  const path = resolve(cwd, from);
  if (!existsSync(path)) {
    throw new UsageError(`no backup file or folder at ${path}: nothing restored`, { file: path });
  }
  if (existsSync(path) && (await stat(path)).isDirectory()) return await onlyBackupIn(path);
  if (path.endsWith(MANIFEST_SUFFIX)) {
    const file = await backupFileOf(path);
    return { path: file ?? path, manifestPath: path };
  }
  return { path, manifestPath: manifestPathOf(path) };
}

/**
 * Checks, before anything is taken or changed, that the backup can be restored into a target
 * of `dialect`: the file and its manifest exist, the file still has the manifest's sha256, and
 * it is a backup of the same engine. Returns the manifest, or the refusal in words.
 */
export async function checkBackupSource(
  source: BackupSource,
  dialect: DialectName,
): Promise<Outcome<{ readonly manifest: BackupManifest }, { readonly refusal: RestoreRefusal }>> {
  if (!existsSync(source.path) || !(await stat(source.path)).isFile()) {
    return refuse('source', `no backup file at ${source.path}: nothing restored`);
  }
  if (!existsSync(source.manifestPath)) {
    return refuse('source', `no manifest beside the backup: ${source.manifestPath}: nothing restored`, [
      'a backup is restored only with the manifest written beside it, which holds its sha256 and engine',
    ]);
  }
  let manifest: BackupManifest;
  try {
    manifest = await readManifest(source.manifestPath);
  } catch (error) {
    return refuse('source', `cannot read the manifest ${source.manifestPath}: nothing restored`, [
      redactSecrets(messageOf(error)),
    ]);
  }
  const digest = await digestFile(source.path);
  if (digest.sha256 !== manifest.sha256) {
    return refuse(
      'checksum',
      `the backup file ${source.path} does not match its manifest (sha256 differs): it changed since it was taken; nothing restored`,
      [
        `manifest: sha256 ${manifest.sha256}, ${manifest.sizeBytes} bytes`,
        `file:     sha256 ${digest.sha256}, ${digest.sizeBytes} bytes`,
      ],
    );
  }
  if (manifest.engine !== dialect) {
    return refuse(
      'engine',
      `the backup is of a ${manifest.engine} database, the target is ${dialect}: nothing restored`,
      [`backup of ${redactSecrets(manifest.target)} taken at ${manifest.takenAt}`],
    );
  }
  return { ok: true, manifest };
}

async function onlyBackupIn(dir: string): Promise<BackupSource> {
  const manifests = (await readdir(dir)).filter((name) => name.endsWith(MANIFEST_SUFFIX)).sort();
  const found: BackupSource[] = [];
  const orphans: string[] = [];
  for (const name of manifests) {
    const manifestPath = join(dir, name);
    const file = await backupFileOf(manifestPath);
    if (file !== undefined && existsSync(file)) found.push({ path: file, manifestPath });
    else orphans.push(name);
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new UsageError(
      `${dir} holds ${found.length} backups; give one of them with --from: ${found
        .map((source) => basename(source.path))
        .join(', ')}`,
    );
  }
  const without = orphans.length === 0 ? '' : ` (manifests without their backup file: ${orphans.join(', ')})`;
  throw new UsageError(
    `${dir} holds no backup: no *${MANIFEST_SUFFIX} with its backup file beside it${without}`,
  );
}

/** The backup file a manifest names, in the manifest's folder; undefined when unreadable. */
async function backupFileOf(manifestPath: string): Promise<string | undefined> {
  try {
    const manifest = await readManifest(manifestPath);
    // Only a name in the manifest's own folder: a manifest must not point elsewhere.
    return typeof manifest.file === 'string' && manifest.file !== ''
      ? join(dirname(manifestPath), basename(manifest.file))
      : undefined;
  } catch {
    return undefined;
  }
}

function refuse(
  reason: RestoreRefusal['reason'],
  message: string,
  details: readonly string[] = [],
): Failed<{ readonly refusal: RestoreRefusal }> {
  return { ok: false, refusal: { reason, message, details } };
}
