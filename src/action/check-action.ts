import { bookkeepingTables } from '../core/parts/migrations/bookkeeping-tables.ts';
import { redactSecrets } from '../core/parts/database/redaction.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { CheckRequest } from '../core/flows/check/run-check.ts';
import { runCheck } from '../core/flows/check/run-check.ts';
import type { CheckResult } from '../core/model/check-result.ts';
import { parseConnectionUrl } from '../core/parts/database/connection-url.ts';
import { renderCheckMarkdown } from '../core/parts/report/markdown-report.ts';
import { migrationDetails, migrationLine, summaryLine } from '../core/parts/report/text-report.ts';
import { actionLogger } from './action-logger.ts';
import { checkAnnotations } from './annotations.ts';
import { requireBaseCommit } from './base-commit.ts';
import type { EventContext, PullRequest } from './event-context.ts';
import { gateFailure } from '../core/parts/report/gate.ts';
import type { ActionInputs } from './inputs.ts';
import { checkOutputs } from './outputs.ts';
import { writeReportFiles } from './report-files.ts';
import type { CommentRequest } from './report-artifact.ts';
import { reportArtifactName, uploadReportArtifact, writeCommentRequest } from './report-artifact.ts';
import { repositoryPath } from './repository-path.ts';
import type { ActionProps } from './action-props.ts';
import { statementLine } from './statement-line.ts';
import type { StickyKey } from './sticky-comment.ts';
import {
  describeCommentFailure,
  stickyCommentBody,
  stickyMarker,
  upsertStickyComment,
} from './sticky-comment.ts';
import { SUMMARY_LIMIT } from './summary-limit.ts';
import { restoreStates, saveStates } from './state-cache-service.ts';
import { stateCacheFolder } from '../core/parts/throwaway/state-cache.ts';
import { actionRuleDocs } from './rule-pages.ts';
import { optional } from '../core/model/optional.ts';

/**
 * `check` as a step: proves the migrations (on a pull request, only those new since its base),
 * then reports everywhere a reviewer looks (outputs, report files, job summary, annotations,
 * the sticky PR comment). Returns why the step fails under `fail-on`, or undefined.
 */
export async function checkAction(
  inputs: ActionInputs,
  context: EventContext,
  props: ActionProps,
): Promise<string | undefined> {
  const { core, env } = props;
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const pullRequest = context.pullRequest;
  if (pullRequest === undefined) {
    core.info(
      `event ${context.eventName || '(unknown)'} is not a pull request: proving every migration, no comment`,
    );
  } else {
    await requireBaseCommit(pullRequest.baseSha, inputs.workingDirectory);
  }

  const ruleDocs = actionRuleDocs(env);
  // Only a pull request replays merged migrations: the states kept between its runs.
  const states = pullRequest !== undefined && inputs.mergedCache ? stateCacheFolder(env) : undefined;
  const restored =
    states === undefined ? undefined : await restoreStates(states, props.cache, actionLogger(core));
  const result = await core.group('Proving migrations', () =>
    runCheck({
      ...checkRequest(inputs),
      ...(pullRequest === undefined ? {} : { base: pullRequest.baseSha }),
      logger: actionLogger(core),
      onResult: (migration) =>
        core.info([migrationLine(migration), ...migrationDetails(migration, ruleDocs)].join('\n')),
    }),
  );
  if (states !== undefined) await saveStates(states, restored, props.cache, actionLogger(core));
  core.info(summaryLine(result, inputs.failOn));

  const key = stickyKey(inputs, result, workspace);
  const title = `migration-gate · ${key.directory}`;
  const paths = await writeReportFiles(
    result,
    { title, failOn: inputs.failOn },
    env['RUNNER_TEMP'] || tmpdir(),
  );
  for (const [name, value] of Object.entries(checkOutputs(result, paths, inputs.failOn)))
    core.setOutput(name, value);
  if (env['GITHUB_STEP_SUMMARY']) {
    const fullReportHint = `Full report in the file of the plan-markdown output.`;
    await core.summary
      .addRaw(
        redactSecrets(
          renderCheckMarkdown(result, {
            title,
            maxLength: SUMMARY_LIMIT,
            fullReportHint,
            ...optional('ruleDocs', ruleDocs),
            failOn: inputs.failOn,
          }),
        ),
        true,
      )
      .write();
  }
  annotate(result, inputs, workspace, props);
  if (pullRequest !== undefined) {
    const request = commentRequest(result, { inputs, key, title }, env);
    const folder = dirname(paths.json);
    const artifact = reportArtifactName(request.marker);
    const files = [paths.json, paths.markdown, await writeCommentRequest(folder, request)];
    const uploaded = await uploadReportArtifact(artifact, files, folder, env, actionLogger(core));
    await comment(request, { inputs, context, pullRequest }, uploaded ? artifact : undefined, props);
  }
  // The verdict alone decides the step: a comment that could not be posted is only a warning.
  return gateFailure(result, inputs.failOn);
}

/** The engine's request from the inputs; the rest (base, logger) is the run's. */
function checkRequest(inputs: ActionInputs): Omit<CheckRequest, 'logger'> {
  const table = inputs.migrationTable;
  return {
    cwd: inputs.workingDirectory,
    throwaway: inputs.throwaway,
    mode: inputs.mode,
    allowEmpty: inputs.allowEmpty,
    seedRows: inputs.seedRows,
    mergedCache: inputs.mergedCache,
    ...(inputs.seed === undefined ? {} : { seed: inputs.seed }),
    ...(inputs.migrations === undefined ? {} : { migrations: inputs.migrations }),
    ...(inputs.dialect === undefined ? {} : { dialect: inputs.dialect }),
    ...(inputs.image === undefined ? {} : { image: inputs.image }),
    ...(inputs.serverUrl === undefined ? {} : { serverUrl: inputs.serverUrl }),
    ...(inputs.targetUrl === undefined ? {} : { targetUrl: inputs.targetUrl }),
    ...(table === undefined ? {} : { migrationTables: bookkeepingTables(table) }),
  };
}

/**
 * One sticky comment per migrations directory and target. The target is keyed by a hash of its
 * redacted URL, so that neither the URL nor a password change shows in (or moves) the comment.
 */
function stickyKey(inputs: ActionInputs, result: CheckResult, workspace: string): StickyKey {
  const directory = repositoryPath(workspace, inputs.workingDirectory, inputs.migrations ?? '.') || '.';
  if (inputs.targetUrl === undefined) return { directory, target: result.dialect };
  const hash = createHash('sha256').update(parseConnectionUrl(inputs.targetUrl).display).digest('hex');
  return { directory, target: `${result.dialect}-${hash.slice(0, 12)}` };
}

function annotate(result: CheckResult, inputs: ActionInputs, workspace: string, { core }: ActionProps): void {
  const sources = new Map<string, string | undefined>();
  const source = (file: string) => {
    if (!sources.has(file)) {
      try {
        sources.set(file, readFileSync(resolve(inputs.workingDirectory, file), 'utf8'));
      } catch {
        sources.set(file, undefined);
      }
    }
    return sources.get(file);
  };
  const annotations = checkAnnotations(result, {
    repositoryPath: (file) => repositoryPath(workspace, inputs.workingDirectory, file),
    statementLine: (file, sql) => {
      const text = source(file);
      return text === undefined ? undefined : statementLine(text, sql);
    },
  });
  for (const { level, title, message, file, line } of annotations) {
    core[level](message, {
      title,
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { startLine: line }),
    });
  }
}

/** Whether a pull request's check has anything to say: a migration proven, or a problem. */
function hasNews(result: CheckResult): boolean {
  return result.migrations.length > 0 || !result.ok;
}

/** Where and as what the report is posted on the pull request. */
interface CommentPlace {
  readonly inputs: ActionInputs;
  readonly context: EventContext;
  readonly pullRequest: PullRequest;
}

/** The sticky comment of this check, as the step posts it or the companion workflow does. */
function commentRequest(
  result: CheckResult,
  { inputs, key, title }: { inputs: ActionInputs; key: StickyKey; title: string },
  env: NodeJS.ProcessEnv,
): CommentRequest {
  const run = [env['GITHUB_SERVER_URL'], env['GITHUB_REPOSITORY'], 'actions/runs', env['GITHUB_RUN_ID']];
  const fullReportHint = run.every(Boolean)
    ? `Full report in the job summary: ${run.join('/')}`
    : 'Full report in the job summary.';
  const marker = stickyMarker(key);
  const ruleDocs = actionRuleDocs(env);
  const body = stickyCommentBody(result, {
    marker,
    title,
    fullReportHint,
    ...optional('ruleDocs', ruleDocs),
    failOn: inputs.failOn,
  });
  return { version: 1, marker, body, create: hasNews(result) };
}

async function comment(
  request: CommentRequest,
  { inputs, context, pullRequest }: CommentPlace,
  artifact: string | undefined,
  { core, createOctokit }: ActionProps,
): Promise<void> {
  if (!inputs.comment) return core.info('comment: false, so no pull request comment');
  if (inputs.githubToken === undefined || context.repository === undefined) {
    return core.warning('no github-token or repository: cannot comment on the pull request');
  }
  try {
    const outcome = await upsertStickyComment({
      octokit: createOctokit(inputs.githubToken),
      ...context.repository,
      issueNumber: pullRequest.number,
      marker: request.marker,
      body: request.body,
      create: request.create,
    });
    core.info(
      outcome.action === 'none'
        ? 'no new migration and no problem: no pull request comment'
        : `${outcome.action} the pull request comment: ${outcome.url}`,
    );
  } catch (error) {
    core.warning(describeCommentFailure(error, pullRequest.number, artifact));
  }
}
