import { open } from 'node:fs/promises';
import { sql } from 'kysely';
import { parseConnectionUrl, withDatabase } from '../database/connection-url.ts';
import { redactSecrets } from '../database/redaction.ts';
import { messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import { failed } from '../../model/outcome.ts';
import type { Outcome } from '../../model/outcome.ts';
import { createSnapshotter } from '../schema/create-snapshotter.ts';
import { openContainerScratch } from '../throwaway/container-throwaway.ts';
import type { ContainerScratch } from '../throwaway/container-throwaway.ts';
import { openThrowaway } from '../throwaway/open-throwaway.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';
import { createBackupEngine } from './create-backup-engine.ts';
import { digestFile, sizeInWords, writeManifest } from './backup-files.ts';
import { officialImage, serverFamily } from '../database/engine-version.ts';
import { chooseTool } from './backup-tool.ts';
import { describeRestoreDifferences } from './compare-restored.ts';
import type { TakenBackup } from './take-backup.ts';
import type { BackupToolOptions } from './tool-session.ts';
import { lastLines } from './take-backup.ts';
import { passwordOf } from './url-credentials.ts';

/** What {@link verifyBackup} needs. */
export interface VerifyBackupOptions extends BackupToolOptions {
  /**
   * Where the backup is restored for the check: `server` (default), a scratch database on
   * `serverUrl`; `container`, a scratch database in a container of `verifyImage` started for
   * it (no database is created on the target's server).
   */
  readonly verifyIn?: 'server' | 'container';
  /**
   * The server of `verifyIn: server`, credentials included (never printed): the target's own
   * URL by default in takeVerifiedBackup. Its user needs CREATE DATABASE.
   */
  readonly serverUrl?: string;
  /** The image of `verifyIn: container`; defaults to the official image of the target's version. */
  readonly verifyImage?: string;
  readonly logger: Logger;
}

/** The outcome of {@link verifyBackup}. */
export type VerifyBackupResult = Outcome<{ readonly verifiedOn: string; readonly durationMs: number }>;

/**
 * Proves a backup restorable and faithful: its file still has the size and sha256 the manifest
 * recorded; it restores without error into a scratch database (dropped afterwards, with its
 * container when `verifyIn: container`); and the restored schema snapshot and per-table row
 * counts equal what was read of the target with the dump. Differences come back in words. On
 * success the manifest gets `verifiedAt`. Never throws for expected failures.
 */
export async function verifyBackup(
  backup: TakenBackup,
  options: VerifyBackupOptions,
): Promise<VerifyBackupResult> {
  const started = performance.now();
  const secrets: string[] = [];
  try {
    if (options.serverUrl !== undefined) {
      const password = passwordOf(parseConnectionUrl(options.serverUrl));
      if (password !== '') secrets.push(password);
    }
    const digest = await digestFile(backup.path);
    if (digest.sha256 !== backup.manifest.sha256 || digest.sizeBytes !== backup.manifest.sizeBytes) {
      return failed(`the backup file ${backup.path} changed since it was taken`, [
        `it has ${digest.sizeBytes} bytes and sha256 ${digest.sha256.slice(0, 12)}…, the manifest says ${backup.manifest.sizeBytes} bytes and sha256 ${backup.manifest.sha256.slice(0, 12)}…`,
      ]);
    }
    const opened = await openScratch(backup, options);
    if (!opened.ok) return opened;
    await using scratch = opened.scratch;
    // Restoring and comparing a large backup takes a while: say so before.
    options.logger.info(
      `verifying the backup: restoring ${sizeInWords(digest.sizeBytes)} into ${scratch.description}...`,
    );
    const restored = await restoreIntoScratch(backup, scratch, opened.serverUrl, options, secrets);
    if (!restored.ok) return restored;
    const engine = createBackupEngine(scratch.dialect);
    const rowCounts = await engine.countRows(scratch.db);
    const schema = await createSnapshotter(scratch.dialect).take(scratch.db, { excludeTables: [] });
    const problems = describeRestoreDifferences(
      { schema: backup.schema, rowCounts: backup.manifest.rowCounts },
      { schema, rowCounts },
    );
    if (problems.length > 0) {
      return failed(`the backup restored into ${scratch.description} differs from the target`, problems);
    }
    await writeManifest(backup.manifestPath, { ...backup.manifest, verifiedAt: new Date().toISOString() });
    const durationMs = Math.round(performance.now() - started);
    options.logger.info(`backup verified: restored into ${scratch.description} in ${durationMs} ms`);
    return { ok: true, verifiedOn: scratch.description, durationMs };
  } catch (error) {
    let message = redactSecrets(messageOf(error));
    for (const secret of secrets) message = message.split(secret).join('***');
    return failed(`the backup could not be verified: ${message}`);
  }
}

async function openScratch(
  backup: TakenBackup,
  options: VerifyBackupOptions,
): Promise<Outcome<ContainerScratch>> {
  const dialect = backup.manifest.engine;
  if (options.verifyIn === 'container') {
    const image =
      options.verifyImage ??
      officialImage(serverFamily(dialect, backup.manifest.serverVersion), backup.manifest.serverVersion);
    options.logger.info(`starting container ${image} to verify the backup...`);
    return {
      ok: true,
      ...(await openContainerScratch({
        dialect,
        logger: options.logger,
        image,
        noDockerHint: "start Docker, or verify on the target's server (backup-verify: server)",
      })),
    };
  }
  if (options.serverUrl === undefined) return failed('no server to verify the backup on: serverUrl is unset');
  const scratch = await openThrowaway('server', {
    dialect,
    logger: options.logger,
    serverUrl: options.serverUrl,
  });
  return { ok: true, scratch, serverUrl: options.serverUrl };
}

async function restoreIntoScratch(
  backup: TakenBackup,
  scratch: ThrowawayDatabase,
  serverUrl: string,
  options: VerifyBackupOptions,
  secrets: readonly string[],
): Promise<Outcome> {
  const name = await currentDatabase(scratch);
  const into = withDatabase(parseConnectionUrl(serverUrl), name);
  const chosen = await chooseTool(scratch.dialect, scratch.serverVersion, 'restore', options);
  if (!chosen.ok) return chosen;
  const { tool } = chosen;
  const engine = createBackupEngine(scratch.dialect);
  const file = await open(backup.path, 'r');
  try {
    const exit = await tool.run(engine.restoreArgs(into, 'scratch'), {
      env: engine.environment(into),
      secrets,
      stdin: file.fd,
      ...(options.toolTimeoutMs === undefined ? {} : { timeoutMs: options.toolTimeoutMs }),
    });
    if (exit.code === 0) return { ok: true };
    return failed(
      exit.timedOut
        ? `restoring the backup into ${scratch.description} did not finish within ${options.toolTimeoutMs} ms`
        : `the backup does not restore: ${tool.name} failed on ${scratch.description}`,
      [lastLines(exit.stderr)],
    );
  } finally {
    await file.close();
  }
}

async function currentDatabase(scratch: ThrowawayDatabase): Promise<string> {
  const query =
    scratch.dialect === 'postgres'
      ? sql<{ name: string }>`select current_database() as name`
      : sql<{ name: string }>`select database() as name`;
  const name = (await query.execute(scratch.db)).rows[0]?.name;
  if (name === undefined || name === null) throw new Error('the scratch database has no name');
  return name;
}
