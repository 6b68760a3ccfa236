import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import yauzl from 'yauzl';
import { UsageError, messageOf } from '../core/model/errors.ts';
import type { Logger } from '../core/model/logger.ts';
import type { GitHubClient } from './sticky-comment.ts';

/** Where a workflow artifact is looked up: the repository and a token allowed to read its Actions. */
export interface ArtifactSource {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
}

/** What {@link resolveRestoreSource} needs. */
export interface RestoreSourceOptions {
  /** A path is relative to it. */
  readonly workingDirectory: string;
  /** Where a downloaded artifact is unpacked (the runner's temporary folder). */
  readonly temp: string;
  /** Undefined when no token or repository is known: then only paths are accepted. */
  readonly artifacts?: ArtifactSource;
  readonly logger: Logger;
}

/**
 * The backup the `restore` input names, on disk: a file or folder (relative to the working
 * directory), else the newest unexpired workflow artifact of that name in this repository,
 * downloaded and unpacked. An artifact name cannot hold a slash, so a missing path that has
 * one is reported as a missing path. Returns a file or folder for runRestore.
 */
export async function resolveRestoreSource(given: string, options: RestoreSourceOptions): Promise<string> {
  const path = resolve(options.workingDirectory, given);
  if (existsSync(path)) return path;
  if (/[/\\]/.test(given)) throw new UsageError(`input restore: no backup at ${path}`);
  if (options.artifacts === undefined) {
    throw new UsageError(
      `input restore: ${given} is not a file under ${options.workingDirectory}, and without github-token and a repository no artifact can be looked up`,
    );
  }
  return downloadArtifact(given, options.artifacts, options);
}

async function downloadArtifact(
  name: string,
  { octokit, owner, repo }: ArtifactSource,
  options: RestoreSourceOptions,
): Promise<string> {
  let artifacts;
  try {
    const response = await octokit.rest.actions.listArtifactsForRepo({ owner, repo, name, per_page: 100 });
    artifacts = response.data.artifacts;
  } catch (error) {
    throw new UsageError(
      `input restore: cannot look up the artifact ${name} in ${owner}/${repo} (the token needs actions: read): ${messageOf(error)}`,
    );
  }
  const newest = artifacts
    .filter((artifact) => artifact.name === name && !artifact.expired)
    .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))[0];
  if (newest === undefined) {
    throw new UsageError(
      `input restore: ${name} is neither a file under ${options.workingDirectory} nor an unexpired artifact of ${owner}/${repo}`,
    );
  }
  const folder = await mkdtemp(join(options.temp, 'migration-gate-restore-'));
  const zip = join(folder, 'artifact.zip');
  const unpacked = join(folder, 'backup');
  options.logger.info(`downloading artifact ${name} (id ${newest.id}, ${newest.size_in_bytes} bytes)`);
  try {
    const response = await octokit.request('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip', {
      owner,
      repo,
      artifact_id: newest.id,
      // Streamed to disk: a backup may be larger than the runner's memory.
      request: { parseSuccessResponseBody: false },
    });
    await pipeline(
      Readable.fromWeb(response.data as unknown as ReadableStream),
      createWriteStream(zip, { mode: 0o600 }),
    );
    await mkdir(unpacked, { mode: 0o700 });
    await unzipFlat(zip, unpacked);
  } catch (error) {
    // What was written is production data: nothing half-done stays behind.
    await rm(folder, { recursive: true, force: true });
    throw new UsageError(
      `input restore: cannot download or unpack the artifact ${name}: ${messageOf(error)}`,
    );
  } finally {
    await rm(zip, { force: true });
  }
  return unpacked;
}

/**
 * Unpacks every file of the zip into `dir` by its base name: a backup is a file and its
 * manifest, side by side, and flattening means no entry can write outside `dir`. Two entries
 * of one name are refused rather than one silently winning.
 */
async function unzipFlat(zipPath: string, dir: string): Promise<void> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  const seen = new Set<string>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const name = basename(entry.fileName);
      if (seen.has(name))
        throw new UsageError(`the artifact holds ${name} twice: cannot tell which to restore`);
      seen.add(name);
      await pipeline(
        await zip.openReadStreamPromise(entry),
        createWriteStream(join(dir, name), { mode: 0o600 }),
      );
    }
  } finally {
    zip.close();
  }
}
