import yauzl from 'yauzl';
import { UsageError, messageOf } from '../core/model/errors.ts';
import { GITHUB_COMMENT_LIMIT } from '../core/parts/report/markdown-report.ts';
import type { ActionProps } from './action-props.ts';
import type { EventContext } from './event-context.ts';
import type { ActionInputs } from './inputs.ts';
import type { CommentRequest } from './report-artifact.ts';
import { COMMENT_REQUEST_FILE, REPORT_ARTIFACT_PREFIX } from './report-artifact.ts';
import type { GitHubClient } from './sticky-comment.ts';
import { upsertStickyComment } from './sticky-comment.ts';
import type { WorkflowRun } from './workflow-run.ts';
import { readWorkflowRun } from './workflow-run.ts';

/** A report artifact is a few reports: anything larger is not one of ours. */
const MAX_ARTIFACT_BYTES = 10 * 1024 * 1024;
const MARKER = /^<!-- migration-gate:sticky dir=[^\s<>]+ target=[^\s<>]+ -->$/;

type Repository = NonNullable<EventContext['repository']>;

/**
 * `comment`, the companion workflow's step (on `workflow_run`, after the check's workflow ran
 * on a pull request, possibly from a fork whose token could not comment): posts or updates the
 * sticky comment of each report artifact the check uploaded, with this run's write token.
 *
 * The artifacts come from a run of code this repository does not control, so they are data
 * only: nothing in them is executed or checked out; the pull request is the one GitHub names
 * for the run's head commit, never one the artifact names; a comment request is posted only
 * when it is exactly what a check writes (a sticky marker, a body starting with it, within
 * GitHub's size). Returns why the step fails, or undefined.
 */
export async function commentAction(
  inputs: ActionInputs,
  context: EventContext,
  { core, env, createOctokit }: ActionProps,
): Promise<string | undefined> {
  const run = await readWorkflowRun(env);
  if (inputs.githubToken === undefined || context.repository === undefined) {
    throw new UsageError(
      'command comment needs github-token (pull-requests: write, actions: read) and GITHUB_REPOSITORY',
    );
  }
  const octokit = createOctokit(inputs.githubToken);
  const repository = context.repository;
  const number = await pullRequestOf(octokit, repository, run);
  if (number === undefined) {
    core.info(`no open pull request has head ${run.headSha}: nothing to comment`);
    return undefined;
  }
  const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
    ...repository,
    run_id: run.id,
    per_page: 100,
  });
  const artifacts = data.artifacts.filter(
    (artifact) => artifact.name.startsWith(REPORT_ARTIFACT_PREFIX) && !artifact.expired,
  );
  if (artifacts.length === 0) {
    core.warning(
      `run ${run.id} uploaded no report artifact (${REPORT_ARTIFACT_PREFIX}...): nothing to comment`,
    );
    return undefined;
  }
  const problems: string[] = [];
  for (const artifact of artifacts) {
    try {
      if (artifact.size_in_bytes > MAX_ARTIFACT_BYTES) {
        throw new Error(`it has ${artifact.size_in_bytes} bytes, more than a report artifact holds`);
      }
      const request = await readCommentRequest(octokit, repository, artifact.id);
      const outcome = await upsertStickyComment({
        octokit,
        ...repository,
        issueNumber: number,
        marker: request.marker,
        body: request.body,
        create: request.create,
      });
      core.info(
        outcome.action === 'none'
          ? `${artifact.name}: nothing new to report: no pull request comment`
          : `${artifact.name}: ${outcome.action} the comment on pull request #${number}: ${outcome.url}`,
      );
    } catch (error) {
      problems.push(`${artifact.name}: ${messageOf(error)}`);
    }
  }
  return problems.length === 0
    ? undefined
    : `could not post ${problems.length} report(s) on pull request #${number}: ${problems.join('; ')}`;
}

/** The open pull request whose head is the run's commit, as GitHub links it or lists it. */
async function pullRequestOf(
  octokit: GitHubClient,
  repository: Repository,
  run: WorkflowRun,
): Promise<number | undefined> {
  const linked = run.pullRequests.find((pr) => pr.headSha === run.headSha);
  if (linked !== undefined) return linked.number;
  // GitHub links no pull request to a run from a fork: find it by the fork's branch and commit.
  const { data } = await octokit.rest.pulls.list({
    ...repository,
    state: 'open',
    head: `${run.headOwner}:${run.headBranch}`,
    per_page: 100,
  });
  return data.find((pr) => pr.head.sha === run.headSha)?.number;
}

async function readCommentRequest(
  octokit: GitHubClient,
  repository: Repository,
  artifactId: number,
): Promise<CommentRequest> {
  const response = await octokit.request('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/zip', {
    ...repository,
    artifact_id: artifactId,
  });
  return parseCommentRequest(
    await readEntry(Buffer.from(response.data as ArrayBuffer), COMMENT_REQUEST_FILE),
  );
}

/** The text of the zip's entry `name` (at its root), refused when missing or larger than a comment can be. */
async function readEntry(bytes: Buffer, name: string): Promise<string> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== name) continue;
      // JSON escapes at most multiply a comment's characters by a few: anything larger is not one.
      if (entry.uncompressedSize > 8 * GITHUB_COMMENT_LIMIT) throw new Error(`its ${name} is too large`);
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    zip.close();
  }
  throw new Error(`it holds no ${name}`);
}

/** The comment request, only as a check writes it. */
function parseCommentRequest(text: string): CommentRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`its ${COMMENT_REQUEST_FILE} is not JSON`);
  }
  const { version, marker, body, create } = (value ?? {}) as Record<string, unknown>;
  if (
    version !== 1 ||
    typeof marker !== 'string' ||
    !MARKER.test(marker) ||
    typeof body !== 'string' ||
    !body.startsWith(`${marker}\n`) ||
    body.length > GITHUB_COMMENT_LIMIT ||
    typeof create !== 'boolean'
  ) {
    throw new Error(`its ${COMMENT_REQUEST_FILE} is not a comment request of migration-gate (version 1)`);
  }
  return { version, marker, body, create };
}
