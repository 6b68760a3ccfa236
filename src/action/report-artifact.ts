import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { messageOf } from '../core/model/errors.ts';
import type { Logger } from '../core/model/logger.ts';

/** Every report artifact's name starts so: `command: comment` posts those of the run it follows. */
export const REPORT_ARTIFACT_PREFIX = 'migration-gate-report-';

/** The file in a report artifact that holds the sticky comment, as data. */
export const COMMENT_REQUEST_FILE = 'comment.json';

/**
 * The sticky comment a check would post on its pull request, as plain data: on a pull request
 * from a fork the token cannot post it, and the companion workflow posts it from this.
 */
export interface CommentRequest {
  readonly version: 1;
  /** The hidden first line the comment is found by (stickyMarker). */
  readonly marker: string;
  /** The whole comment, starting with the marker. */
  readonly body: string;
  /** False when the check had nothing to say: an existing comment is updated, none created. */
  readonly create: boolean;
}

/** The artifact of one sticky key (migrations directory and target): one per check step. */
export function reportArtifactName(marker: string): string {
  return `${REPORT_ARTIFACT_PREFIX}${createHash('sha256').update(marker).digest('hex').slice(0, 12)}`;
}

/** Writes {@link COMMENT_REQUEST_FILE} into `folder`; returns its path. */
export async function writeCommentRequest(folder: string, request: CommentRequest): Promise<string> {
  const path = join(folder, COMMENT_REQUEST_FILE);
  await writeFile(path, `${JSON.stringify(request)}\n`);
  return path;
}

/**
 * Uploads the report files, zipped flat, as a workflow artifact of this run, when the runner
 * offers the Actions results service (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL, which a
 * pull request from a fork gets too). A report holds no secret (every output is redacted).
 * Returns whether it was uploaded; a failure is logged as a warning, never the step's result.
 */
export async function uploadReportArtifact(
  name: string,
  files: readonly string[],
  folder: string,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<boolean> {
  if (!env['ACTIONS_RUNTIME_TOKEN'] || !env['ACTIONS_RESULTS_URL']) {
    logger.info(
      'not on a runner with the Actions results service: the report is not uploaded as an artifact',
    );
    return false;
  }
  try {
    const { id } = await new DefaultArtifactClient().uploadArtifact(name, [...files], folder);
    logger.info(`uploaded the report as artifact ${name} (id ${id ?? 'unknown'})`);
    return true;
  } catch (error) {
    logger.warn(`could not upload the report as artifact ${name}: ${messageOf(error)}`);
    return false;
  }
}
