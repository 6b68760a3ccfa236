import type { FailOn } from '../core/model/fail-on.ts';
import { redactSecrets } from '../core/parts/database/redaction.ts';
import type { getOctokit } from '@actions/github';
import type { CheckResult } from '../core/model/check-result.ts';
import { messageOf } from '../core/model/errors.ts';
import { GITHUB_COMMENT_LIMIT, renderCheckMarkdown } from '../core/parts/report/markdown-report.ts';
import type { RuleDocs } from '../core/parts/report/rule-docs.ts';

/** The REST client @actions/github makes (it honours GITHUB_API_URL). */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** What makes a sticky comment one of its own: one per migrations directory and target. */
export interface StickyKey {
  /** The migrations path, relative to the repository. */
  readonly directory: string;
  /** The dialect, or the dialect and a hash of the redacted target URL when there is one. */
  readonly target: string;
}

/**
 * The hidden first line a sticky comment is found by. Values are URI-encoded (slashes kept),
 * so no path can end the HTML comment or collide with another key.
 */
export function stickyMarker({ directory, target }: StickyKey): string {
  return `<!-- migration-gate:sticky dir=${encode(directory)} target=${encode(target)} -->`;
}

function encode(value: string): string {
  return encodeURIComponent(value).replace(/%2F/gi, '/');
}

/**
 * The comment: the marker, then the report, shortened to GitHub's 65,536 characters when it
 * is longer, saying where the full report is (`fullReportHint`).
 */
export function stickyCommentBody(
  result: CheckResult,
  options: {
    readonly marker: string;
    readonly title: string;
    readonly fullReportHint: string;
    readonly ruleDocs?: RuleDocs;
    readonly failOn: FailOn;
  },
): string {
  return renderCheckMarkdown(result, { ...options, maxLength: GITHUB_COMMENT_LIMIT });
}

/** Where the comment goes. */
export interface StickyCommentRequest {
  readonly octokit: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  readonly marker: string;
  /** The whole comment, starting with the marker. */
  readonly body: string;
  /**
   * False to only update: a pull request with nothing to report (no new migration) gets no new
   * comment, but one it already has is brought up to date.
   */
  readonly create: boolean;
}

/** What {@link upsertStickyComment} did. */
export type StickyOutcome =
  { readonly action: 'created' | 'updated'; readonly url: string } | { readonly action: 'none' };

/**
 * Updates the pull request's comment that starts with the marker, or creates it when there is
 * none, so each push replaces the report instead of adding one. The search pages through every
 * comment (100 at a time) and stops at the first match.
 */
export async function upsertStickyComment(request: StickyCommentRequest): Promise<StickyOutcome> {
  const { octokit, owner, repo, issueNumber } = request;
  // A comment is public: the last place a password could show.
  const body = redactSecrets(request.body);
  const existing = await findStickyComment(request);
  if (existing !== undefined) {
    const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing, body });
    return { action: 'updated', url: data.html_url };
  }
  if (!request.create) return { action: 'none' };
  const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { action: 'created', url: data.html_url };
}

async function findStickyComment(request: StickyCommentRequest): Promise<number | undefined> {
  const { octokit, owner, repo, issueNumber, marker } = request;
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  for await (const { data } of pages) {
    const found = data.find((comment) => comment.body?.startsWith(marker) === true);
    if (found !== undefined) return found.id;
  }
  return undefined;
}

/**
 * Why the comment could not be posted, and what to do. Never a reason to fail the step: the
 * report is in the job summary either way, and in the report `artifact` when it was uploaded,
 * from which the companion workflow posts the comment with a token that may.
 */
export function describeCommentFailure(error: unknown, issueNumber: number, artifact?: string): string {
  const where =
    artifact === undefined
      ? 'the report is in the job summary'
      : `the report is in the job summary and in artifact ${artifact}`;
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 403 || status === 404) {
    return (
      `cannot comment on pull request #${issueNumber} (HTTP ${status}): the token needs ` +
      '`permissions: pull-requests: write`; a pull request from a fork only gets a read-only token, ' +
      `so the comment needs the companion workflow (command: comment, on workflow_run; see .github/examples/pull-request-comment.yml); ${where}`
    );
  }
  return `could not post the pull request comment: ${messageOf(error)}; ${where}`;
}
