import { readFile } from 'node:fs/promises';
import { UsageError, messageOf } from '../core/model/errors.ts';

/** The pull request a run is for. */
export interface PullRequest {
  readonly number: number;
  /** The base branch's commit the pull request is compared with. */
  readonly baseSha: string;
  readonly headSha: string;
}

/** What the run is for, from the runner's environment and the event payload. */
export interface EventContext {
  readonly eventName: string;
  /** `owner/name`, when the runner says. */
  readonly repository?: { readonly owner: string; readonly repo: string };
  /** Set on `pull_request` events only. */
  readonly pullRequest?: PullRequest;
  /** From the event payload's `repository.private`, when it says. */
  readonly repositoryPrivate?: boolean;
}

type Repository = NonNullable<EventContext['repository']>;

/**
 * Reads GITHUB_EVENT_NAME, GITHUB_REPOSITORY and, on `pull_request`, the payload at
 * GITHUB_EVENT_PATH (its `repository` wins). Other events (push, workflow_dispatch, ...) have
 * no base to compare with; their payload, when readable, only says whether the repository is
 * private.
 */
export async function readEventContext(env: NodeJS.ProcessEnv): Promise<EventContext> {
  const eventName = env['GITHUB_EVENT_NAME'] ?? '';
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  const fromEnv = owner && repo ? { owner, repo } : undefined;
  if (eventName !== 'pull_request') {
    const payload = await readFile(env['GITHUB_EVENT_PATH'] || '/nonexistent', 'utf8')
      .then((text) => JSON.parse(text) as unknown)
      .catch(() => undefined);
    return withRepository({ eventName, ...privacyOf(payload) }, fromEnv);
  }
  const path = env['GITHUB_EVENT_PATH'];
  if (path === undefined || path === '') {
    throw new UsageError('GITHUB_EVENT_PATH is not set: cannot read the pull_request event');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the pull_request event at ${path}: ${messageOf(error)}`);
  }
  return withRepository(
    { eventName, pullRequest: pullRequestOf(payload, path), ...privacyOf(payload) },
    repositoryOf(field(payload, 'repository')) ?? fromEnv,
  );
}

function privacyOf(payload: unknown): { repositoryPrivate?: boolean } {
  const value = field(field(payload, 'repository'), 'private');
  return typeof value === 'boolean' ? { repositoryPrivate: value } : {};
}

function withRepository(context: EventContext, repository: Repository | undefined): EventContext {
  return repository === undefined ? context : { ...context, repository };
}

function repositoryOf(value: unknown): Repository | undefined {
  const owner = field(field(value, 'owner'), 'login');
  const repo = field(value, 'name');
  return typeof owner === 'string' && typeof repo === 'string' ? { owner, repo } : undefined;
}

function pullRequestOf(payload: unknown, path: string): PullRequest {
  const pr = field(payload, 'pull_request');
  const number = field(pr, 'number');
  const baseSha = field(field(pr, 'base'), 'sha');
  const headSha = field(field(pr, 'head'), 'sha');
  if (typeof number !== 'number' || typeof baseSha !== 'string' || typeof headSha !== 'string') {
    throw new UsageError(
      `the pull_request event at ${path} lacks pull_request.number, .base.sha or .head.sha`,
    );
  }
  return { number, baseSha, headSha };
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
