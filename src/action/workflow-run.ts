import { readFile } from 'node:fs/promises';
import { UsageError, messageOf } from '../core/model/errors.ts';

/** The run a `workflow_run` event is about, as GitHub describes it (never as its artifacts say). */
export interface WorkflowRun {
  readonly id: number;
  /** The commit it ran on: the pull request's head. */
  readonly headSha: string;
  readonly headBranch: string;
  /** The owner of the repository the head is in: a fork's owner for a pull request from a fork. */
  readonly headOwner: string;
  /** Pull requests GitHub links to the run; empty for a pull request from a fork. */
  readonly pullRequests: readonly { readonly number: number; readonly headSha: string }[];
}

/**
 * Reads the `workflow_run` event at GITHUB_EVENT_PATH. Any other event is a usage error: the
 * `comment` command belongs in the companion workflow only.
 */
export async function readWorkflowRun(env: NodeJS.ProcessEnv): Promise<WorkflowRun> {
  const eventName = env['GITHUB_EVENT_NAME'] ?? '';
  if (eventName !== 'workflow_run') {
    throw new UsageError(
      `command comment runs on a workflow_run event (the companion workflow), not ${eventName || 'no event'}`,
    );
  }
  const path = env['GITHUB_EVENT_PATH'] ?? '';
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read the workflow_run event at ${path || '(GITHUB_EVENT_PATH unset)'}: ${messageOf(error)}`,
    );
  }
  const run = field(payload, 'workflow_run');
  const id = field(run, 'id');
  const headSha = field(run, 'head_sha');
  const headBranch = field(run, 'head_branch');
  const headOwner = field(field(field(run, 'head_repository'), 'owner'), 'login');
  if (
    typeof id !== 'number' ||
    typeof headSha !== 'string' ||
    typeof headBranch !== 'string' ||
    typeof headOwner !== 'string'
  ) {
    throw new UsageError(
      `the workflow_run event at ${path} lacks workflow_run.id, .head_sha, .head_branch or .head_repository.owner.login`,
    );
  }
  const linked = field(run, 'pull_requests');
  const pullRequests = (Array.isArray(linked) ? linked : []).flatMap((pr: unknown) => {
    const number = field(pr, 'number');
    const sha = field(field(pr, 'head'), 'sha');
    return typeof number === 'number' && typeof sha === 'string' ? [{ number, headSha: sha }] : [];
  });
  return { id, headSha, headBranch, headOwner, pullRequests };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
