import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { BackupManifest } from '../../model/backup-record.ts';

/** Mode of every file a backup writes: its owner alone may read it. */
export const BACKUP_FILE_MODE = 0o600;
/** Mode of a backup folder this tool creates. */
export const BACKUP_DIR_MODE = 0o700;

/** `app-20261122T014500123Z`: the database's name (made file-safe) and the UTC time. */
export function backupStem(database: string, at: Date): string {
  const safe = database.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '_') || 'database';
  return `${safe}-${at.toISOString().replace(/[-:.]/g, '')}`;
}

/** The manifest's path beside a backup file: `app-....dump` -> `app-....manifest.json`. */
export function manifestPathOf(backupPath: string): string {
  const name = basename(backupPath, extname(backupPath));
  return join(dirname(backupPath), `${name}.manifest.json`);
}

/** sha256 (hex) and size of a file, read as a stream. */
export async function digestFile(path: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

/** sha256 (hex) of a string. */
export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Writes a manifest, mode 0600, replacing any earlier one in one step. */
export async function writeManifest(path: string, manifest: BackupManifest): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`, { mode: BACKUP_FILE_MODE });
  await chmod(temporary, BACKUP_FILE_MODE);
  await rename(temporary, path);
}

/** Reads a manifest written by {@link writeManifest}. */
export async function readManifest(path: string): Promise<BackupManifest> {
  const manifest = JSON.parse(await readFile(path, 'utf8')) as BackupManifest;
  if (manifest.format !== 1) throw new Error(`${path} is not a backup manifest of format 1`);
  return manifest;
}

/** A file size for a person: `812 bytes`, `14.2 kB`, `3.1 MB`, `1.4 GB`. */
export function sizeInWords(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let size = bytes / 1000;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit += 1;
  }
  return `${size.toFixed(1)} ${units[unit]!}`;
}
