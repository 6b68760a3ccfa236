import { basename, dirname, sep } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { messageOf } from '../core/model/errors.ts';
import type { Logger } from '../core/model/logger.ts';

/** What {@link uploadBackupArtifact} uploads. */
export interface BackupArtifactOptions {
  /** The workflow artifact's name, as `restore:` names it later. */
  readonly name: string;
  /** Absolute paths: the backup file and its manifest. */
  readonly files: readonly string[];
  /** 1 to 90 (validated by the input); undefined: the repository's retention setting. */
  readonly retentionDays?: number;
  readonly logger: Logger;
}

/** The artifact as the results service recorded it. */
export interface UploadedBackupArtifact {
  readonly id: number;
  /** Bytes of the zip uploaded. */
  readonly size: number;
  readonly name: string;
}

/**
 * Uploads a backup and its manifest as one workflow artifact of this run, zipped flat (as
 * resolveRestoreSource in restore-source.ts unpacks it), through the Actions results service the runner
 * names in ACTIONS_RESULTS_URL with its ACTIONS_RUNTIME_TOKEN.
 *
 * Backups hold production data: this runs only when the `backup-artifact` input asks for it,
 * and the artifact is exactly as private as the repository's Actions: anyone who can read the
 * repository can download it until it expires (for a public repository, anyone signed in to
 * GitHub). Errors name the artifact and paths, never what the files hold.
 */
export async function uploadBackupArtifact(options: BackupArtifactOptions): Promise<UploadedBackupArtifact> {
  const { name, files, retentionDays, logger } = options;
  const kept = retentionDays === undefined ? "the repository's retention" : `${retentionDays} days`;
  logger.info(`uploading artifact ${name} (${files.map((file) => basename(file)).join(', ')}; kept ${kept})`);
  let response;
  try {
    if (files.length === 0) throw new Error('no files given');
    response = await new DefaultArtifactClient().uploadArtifact(
      name,
      [...files],
      commonDirectory(files),
      retentionDays === undefined ? {} : { retentionDays },
    );
  } catch (error) {
    throw new Error(`cannot upload the backup as artifact ${name}: ${messageOf(error)}`, { cause: error });
  }
  if (response.id === undefined) {
    throw new Error(
      `cannot upload the backup as artifact ${name}: the results service returned no artifact id`,
    );
  }
  const uploaded = { id: response.id, size: response.size ?? 0, name };
  logger.info(`uploaded artifact ${name} (id ${uploaded.id}, ${uploaded.size} bytes)`);
  return uploaded;
}

/** The deepest folder holding every file: the zip's root, so entries are named by base name. */
function commonDirectory(files: readonly string[]): string {
  let dir = dirname(files[0]!);
  while (!files.every((file) => file.startsWith(dir.endsWith(sep) ? dir : dir + sep))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}
