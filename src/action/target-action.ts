import { writeFile, mkdtemp } from 'node:fs/promises';
import { redactSecrets } from '../core/parts/database/redaction.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupChoice } from '../core/parts/backup/backup-step.ts';
import { runApply } from '../core/flows/apply/apply.ts';
import { manifestPathOf } from '../core/parts/backup/backup-files.ts';
import { backupStepForApply } from '../core/parts/backup/take-verified-backup.ts';
import { parseConnectionUrl } from '../core/parts/database/connection-url.ts';
import { UsageError, messageOf } from '../core/model/errors.ts';
import type { Logger } from '../core/model/logger.ts';
import { runRestore } from '../core/flows/restore/restore.ts';
import { runRollback } from '../core/flows/rollback/rollback.ts';
import { runStatus } from '../core/flows/status/status.ts';
import { actionLogger } from './action-logger.ts';
import { uploadBackupArtifact } from './backup-artifact-upload.ts';
import type { EventContext } from './event-context.ts';
import { forEachTarget } from './for-each-target.ts';
import type { ActionInputs, TargetInputs } from './inputs.ts';
import { resolveRestoreSource } from './restore-source.ts';
import type { ActionProps } from './action-props.ts';
import { targetOutputs } from './target-outputs.ts';
import type { TargetReport } from './target-report.ts';
import {
  applyReport,
  errorReport,
  restoreReport,
  rollbackReport,
  skippedReport,
  statusReport,
} from './target-report.ts';
import { optional } from '../core/model/optional.ts';
import { SUMMARY_LIMIT } from './summary-limit.ts';

/** Events whose code is not yet reviewed and merged: nothing of theirs may change a database. */
const UNMERGED_EVENTS = ['pull_request', 'pull_request_target'];

/**
 * `apply`, `rollback` (or `restore`) and `status` as a step, on one target or many: runs the
 * engine on each (at most `parallel` at once, none started after a failure), then reports in
 * the log, the outputs, a JSON file, the job summary and error annotations. Returns why the
 * step fails, or undefined.
 */
export async function targetAction(
  inputs: ActionInputs,
  context: EventContext,
  props: ActionProps,
): Promise<string | undefined> {
  const { core, env } = props;
  const target = inputs.target!;
  const changes = inputs.command !== 'status';
  if (changes && UNMERGED_EVENTS.includes(context.eventName)) {
    throw new UsageError(
      `command ${inputs.command} changes a database and refuses to run on ${context.eventName} events: run it on push to the main branch or on workflow_dispatch (use command check on pull requests)`,
    );
  }
  if (target.backupArtifact !== undefined && context.repositoryPrivate === false) {
    throw new UsageError(
      `input backup-artifact: this repository is public, and anyone signed in to GitHub can download its artifacts: a backup of the database must not go there`,
    );
  }
  const started = performance.now();
  const temp = env['RUNNER_TEMP'] || tmpdir();
  const backupDir = target.backupDir ?? join(temp, 'migration-gate-backups');
  const restoreFrom = await restoreSource(inputs, target, context, props, temp);
  const many = target.urls.length > 1;
  const run = (url: string, index: number, logger: Logger) =>
    runOne(inputs, url, {
      logger,
      restoreFrom,
      backupDir: many ? join(backupDir, `target-${index + 1}`) : backupDir,
      env,
    });

  const databases = target.urls.map((url) => parseConnectionUrl(url).display);
  const outcomes = await forEachTarget(
    target.urls,
    target.parallel,
    async (url, index) => {
      const title = `${inputs.command} ${databases[index]}`;
      if (!many) return core.group(title, () => run(url, index, actionLogger(core)));
      // Targets run side by side: each one's log is held and printed whole, in its own group.
      core.info(`started ${title}`);
      const held = heldLogger();
      try {
        return await run(url, index, held.logger);
      } finally {
        core.startGroup(title);
        held.replay(actionLogger(core));
        core.endGroup();
      }
    },
    (report) => report.ok,
  );
  const reports = outcomes.map((outcome, index) =>
    outcome.kind === 'done'
      ? outcome.result
      : outcome.kind === 'error'
        ? errorReport(databases[index]!, outcome.error)
        : skippedReport(databases[index]!),
  );
  for (const report of reports) core.info(many ? `${report.database}: ${report.text}` : report.text);
  const uploadProblems = await uploadBackups(target, reports, actionLogger(core));

  const reportJson = join(await mkdtemp(join(temp, 'migration-gate-')), `${inputs.command}.json`);
  await writeFile(reportJson, `[${reports.map((report) => report.json ?? errorJson(report)).join(',\n')}]\n`);
  const durationMs = performance.now() - started;
  for (const [name, value] of Object.entries(targetOutputs(reports, { backupDir, reportJson }, durationMs))) {
    core.setOutput(name, value);
  }
  if (env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(redactSecrets(summaryMarkdown(inputs.command, reports)), true).write();
  }
  // One target that could not be worked on is an input or environment error, as for check:
  // rethrown (after the outputs are set) for exit code 2 and an annotation on its file.
  const [only] = outcomes;
  if (!many && only?.kind === 'error') throw only.error;
  for (const report of reports.filter((report) => report.problems.length > 0)) {
    core.error(report.problems.join('\n'), { title: `migration-gate ${inputs.command}: ${report.database}` });
  }
  for (const problem of uploadProblems) {
    core.error(problem, { title: `migration-gate ${inputs.command}: backup artifact` });
  }
  const failed = reports.filter((report) => !report.ok);
  if (failed.length === 0) return uploadProblems.length === 0 ? undefined : uploadProblems.join('; ');
  return many
    ? `${failed.length} of ${reports.length} targets did not succeed: ${failed.map((r) => `${r.database} (${r.outcome})`).join(', ')}`
    : `${inputs.command} ${failed[0]!.outcome}: ${failed[0]!.problems[0] ?? failed[0]!.text}`;
}

/**
 * Each backup taken, uploaded as a workflow artifact when `backup-artifact` asks (even when the
 * target then failed: that backup is the way back). With many targets, one artifact each,
 * `<name>-target-N` like their backup folders, as `restore` takes one backup. Returns what
 * failed, a line each: the databases changed already, so the reports stay as they are.
 */
async function uploadBackups(
  target: TargetInputs,
  reports: readonly TargetReport[],
  logger: Logger,
): Promise<string[]> {
  const name = target.backupArtifact;
  if (name === undefined) return [];
  const problems: string[] = [];
  for (const [index, report] of reports.entries()) {
    if (report.backupPath === undefined) continue;
    try {
      await uploadBackupArtifact({
        name: reports.length > 1 ? `${name}-target-${index + 1}` : name,
        files: [report.backupPath, manifestPathOf(report.backupPath)],
        logger,
        ...optional('retentionDays', target.backupRetentionDays),
      });
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
  return problems;
}

/** What one target's run needs beyond the inputs. */
interface RunContext {
  readonly logger: Logger;
  readonly restoreFrom: string | undefined;
  readonly backupDir: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Runs the command on one target; expected refusals and failures come back as reports. */
async function runOne(inputs: ActionInputs, url: string, context: RunContext): Promise<TargetReport> {
  const target = inputs.target!;
  const { logger } = context;
  const common = {
    targetUrl: url,
    cwd: inputs.workingDirectory,
    throwaway: inputs.throwaway,
    allowEmpty: inputs.allowEmpty,
    logger,
    ...optional('migrations', inputs.migrations),
    ...optional('migrationTable', inputs.migrationTable),
    ...optional('serverUrl', inputs.serverUrl),
    ...optional('image', inputs.image),
  };
  if (inputs.command === 'status') {
    return statusReport(await runStatus({ ...common, failOnPending: target.failOnPending }));
  }
  const backup: BackupChoice =
    target.backup === 'none'
      ? 'none'
      : backupStepForApply({
          dir: context.backupDir,
          logger,
          verifyIn: target.backupVerify,
          // The throwaway's image is production's version: the right one to restore into.
          ...optional('verifyImage', inputs.image),
        });
  if (context.restoreFrom !== undefined) {
    return restoreReport(
      await runRestore({
        targetUrl: url,
        from: context.restoreFrom,
        cwd: inputs.workingDirectory,
        backup,
        logger,
        ...optional('migrationTable', inputs.migrationTable),
      }),
    );
  }
  const changing = {
    ...common,
    backup,
    allowDrift: target.allowDrift,
    dryRun: target.dryRun,
    limits: {
      ...optional('lockTimeoutMs', target.lockTimeoutMs),
      lockWaitMs: target.lockWaitMs,
      ...optional('statementTimeoutMs', target.statementTimeoutMs),
    },
  };
  const rollback = target.rollback;
  if (rollback === undefined) {
    return applyReport(
      await runApply({
        ...changing,
        requireReversible: target.requireReversible,
        appliedBy: appliedBy(context.env),
        ...optional('transaction', target.transaction),
        ...optional('to', target.applyTo),
      }),
    );
  }
  if ('restore' in rollback) throw new Error('restore was resolved to a source before the targets ran');
  return rollbackReport(await runRollback({ ...changing, goal: rollback }));
}

/** The backup the `restore` input names, found (or downloaded) once, before any target. */
async function restoreSource(
  inputs: ActionInputs,
  target: TargetInputs,
  context: EventContext,
  { core, createOctokit }: ActionProps,
  temp: string,
): Promise<string | undefined> {
  const rollback = target.rollback;
  if (rollback === undefined || !('restore' in rollback)) return undefined;
  if (target.urls.length > 1) {
    throw new UsageError('input restore takes one target: a backup holds one database, not every shard');
  }
  const repository = context.repository;
  return resolveRestoreSource(rollback.restore, {
    workingDirectory: inputs.workingDirectory,
    temp,
    logger: actionLogger(core),
    ...(inputs.githubToken === undefined || repository === undefined
      ? {}
      : { artifacts: { octokit: createOctokit(inputs.githubToken), ...repository } }),
  });
}

/** Who applied, for the checksum table: the workflow run, so a row leads back to its log. */
function appliedBy(env: NodeJS.ProcessEnv): string {
  const run = [env['GITHUB_REPOSITORY'], env['GITHUB_RUN_ID']].filter(Boolean).join(' run ');
  const actor = env['GITHUB_ACTOR'] ? ` by ${env['GITHUB_ACTOR']}` : '';
  return run === '' ? 'migration-gate action' : `github-actions ${run}${actor}`.slice(0, 255);
}

/** Every target's report, essentials first; the proofs' details only while they fit. */
function summaryMarkdown(command: string, reports: readonly TargetReport[]): string {
  const parts = reports.map((report) => report.markdown);
  let length = parts.reduce((sum, part) => sum + part.length, 0);
  reports.forEach((report, index) => {
    if (report.details === undefined || length + report.details.length > SUMMARY_LIMIT) return;
    parts[index] += report.details;
    length += report.details.length;
  });
  return `## migration-gate ${command}\n\n${parts.join('\n\n---\n\n')}\n`;
}

function errorJson(report: TargetReport): string {
  return JSON.stringify({
    version: 1,
    database: report.database,
    outcome: report.outcome,
    message: report.text,
  });
}

/** A logger that keeps what it is told, to print later in one piece. */
function heldLogger(): { logger: Logger; replay: (to: Logger) => void } {
  const lines: { level: keyof Logger; message: string }[] = [];
  return {
    logger: {
      info: (message) => lines.push({ level: 'info', message }),
      warn: (message) => lines.push({ level: 'warn', message }),
      debug: (message) => lines.push({ level: 'debug', message }),
    },
    replay: (to) => {
      for (const { level, message } of lines) to[level](message);
    },
  };
}
