import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request the fake received, as sent. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/repos/o/r/issues/7/comments?per_page=100&page=2`. */
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** A comment as the fake stores it. */
export interface FakeComment {
  readonly id: number;
  body: string;
}

/** A workflow artifact as the fake stores it. */
export interface FakeArtifact {
  readonly id: number;
  readonly name: string;
  readonly zip: Buffer;
  readonly expired: boolean;
  readonly createdAt: string;
  /** The workflow run that uploaded it, when one did. */
  readonly runId?: number;
}

/** An open pull request, as the fake lists it. */
export interface FakePullRequest {
  readonly number: number;
  /** `owner:branch` of its head: a fork's owner for a pull request from a fork. */
  readonly head: string;
  readonly headSha: string;
}

/** What {@link FakeGitHub.addArtifact} may set; by default unexpired, newer than every earlier one. */
export interface FakeArtifactOptions {
  readonly expired?: boolean;
  /** ISO 8601, as GitHub's `created_at`. */
  readonly createdAt?: string;
  /** The workflow run it belongs to, listed by that run's artifacts. */
  readonly runId?: number;
}

/**
 * The few REST endpoints of GitHub the action uses, on 127.0.0.1 at a random port, keeping
 * issue comments and workflow artifacts in memory and recording every request: list an
 * issue's comments (paginated with a Link header, as GitHub does), create one, update one;
 * list the repository's artifacts by name or a run's artifacts, and download one (a 302 to a
 * blob path on the same fake, as GitHub redirects to blob storage); list open pull requests by
 * head.
 */
export interface FakeGitHub extends AsyncDisposable {
  /** For GITHUB_API_URL. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The comments of an issue, oldest first. */
  comments(issue: number): FakeComment[];
  /** Adds comments written by someone else. */
  seed(issue: number, bodies: readonly string[]): void;
  /** Makes every write answer 403, as for a pull request from a fork; false allows them again. */
  forbidWrites(forbidden?: boolean): void;
  /** Opens a pull request the fake lists. */
  addPullRequest(pullRequest: FakePullRequest): void;
  /** Adds a workflow artifact (of any repository: the fake keeps one list); returns its id. */
  addArtifact(name: string, zip: Buffer, options?: FakeArtifactOptions): number;
}

const COMMENT_PATH = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const EDIT_PATH = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;
const ARTIFACTS_PATH = /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts$/;
const RUN_ARTIFACTS_PATH = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/artifacts$/;
const PULLS_PATH = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/;
const ARTIFACT_ZIP_PATH = /^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)\/zip$/;
const BLOB_PATH = /^\/blob\/(\d+)$/;
/** Default `created_at` of the first artifact; each later one is a minute newer. */
const FIRST_ARTIFACT_AT = Date.UTC(2025, 0, 1);

/** Starts a {@link FakeGitHub}. */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const issues = new Map<number, FakeComment[]>();
  let nextId = 1000;
  let writesForbidden = false;
  const artifacts: FakeArtifact[] = [];
  const pullRequests: FakePullRequest[] = [];
  let nextArtifactId = 500;
  const commentsOf = (issue: number) => {
    if (!issues.has(issue)) issues.set(issue, []);
    return issues.get(issue)!;
  };
  const asJson = (comment: FakeComment, issue: number) => ({
    id: comment.id,
    body: comment.body,
    html_url: `https://github.example/o/r/pull/${issue}#issuecomment-${comment.id}`,
    user: { login: 'github-actions[bot]' },
  });

  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body,
      });
      handle(request, body, response);
    });
  });

  function handle(request: IncomingMessage, body: string, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const listing = COMMENT_PATH.exec(url.pathname);
    const editing = EDIT_PATH.exec(url.pathname);
    if (request.method !== 'GET' && writesForbidden) {
      return send(response, 403, { message: 'Resource not accessible by integration' });
    }
    if (listing !== null && request.method === 'GET') {
      const issue = Number(listing[3]);
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = commentsOf(issue);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const pageUrl = (n: number) => {
        const next = new URL(url);
        next.searchParams.set('page', String(n));
        return `<${next.href}>`;
      };
      const links = [
        ...(page < last ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`] : []),
        ...(page > 1 ? [`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`] : []),
      ];
      const slice = all.slice((page - 1) * perPage, page * perPage).map((c) => asJson(c, issue));
      return send(response, 200, slice, links.length > 0 ? { link: links.join(', ') } : {});
    }
    if (listing !== null && request.method === 'POST') {
      const issue = Number(listing[3]);
      const comment = { id: nextId++, body: (JSON.parse(body) as { body: string }).body };
      commentsOf(issue).push(comment);
      return send(response, 201, asJson(comment, issue));
    }
    if (editing !== null && request.method === 'PATCH') {
      for (const [issue, comments] of issues) {
        const comment = comments.find((c) => c.id === Number(editing[3]));
        if (comment === undefined) continue;
        comment.body = (JSON.parse(body) as { body: string }).body;
        return send(response, 200, asJson(comment, issue));
      }
    }
    if (request.method === 'GET' && PULLS_PATH.test(url.pathname)) {
      const head = url.searchParams.get('head');
      const open = pullRequests.filter((pr) => head === null || pr.head === head);
      return send(
        response,
        200,
        open.map((pr) => ({ number: pr.number, state: 'open', head: { sha: pr.headSha, label: pr.head } })),
      );
    }
    if (request.method === 'GET' && handleArtifacts(url, response)) return;
    send(response, 404, { message: 'Not Found' });
  }

  /** The artifact endpoints; false when `url` is none of them. */
  function handleArtifacts(url: URL, response: ServerResponse): boolean {
    const ofRun = RUN_ARTIFACTS_PATH.exec(url.pathname);
    if (ARTIFACTS_PATH.test(url.pathname) || ofRun !== null) {
      const name = url.searchParams.get('name');
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const matching = artifacts.filter(
        (artifact) =>
          (name === null || artifact.name === name) &&
          (ofRun === null || artifact.runId === Number(ofRun[3])),
      );
      send(response, 200, {
        total_count: matching.length,
        artifacts: matching.slice(0, perPage).map((artifact) => ({
          id: artifact.id,
          name: artifact.name,
          size_in_bytes: artifact.zip.length,
          expired: artifact.expired,
          created_at: artifact.createdAt,
          archive_download_url: `${url.origin}${url.pathname.replace(/\/runs\/\d+\/artifacts$/, '/artifacts')}/${artifact.id}/zip`,
        })),
      });
      return true;
    }
    const download = ARTIFACT_ZIP_PATH.exec(url.pathname);
    if (download !== null) {
      const artifact = artifacts.find((candidate) => candidate.id === Number(download[3]));
      if (artifact === undefined) return false;
      response.writeHead(302, { location: `${url.origin}/blob/${artifact.id}` });
      response.end();
      return true;
    }
    const blob = BLOB_PATH.exec(url.pathname);
    if (blob !== null) {
      const artifact = artifacts.find((candidate) => candidate.id === Number(blob[1]));
      if (artifact === undefined) return false;
      response.writeHead(200, { 'content-type': 'application/zip', 'content-length': artifact.zip.length });
      response.end(artifact.zip);
      return true;
    }
    return false;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    comments: (issue) => commentsOf(issue),
    seed(issue, bodies) {
      for (const text of bodies) commentsOf(issue).push({ id: nextId++, body: text });
    },
    forbidWrites(forbidden = true) {
      writesForbidden = forbidden;
    },
    addPullRequest(pullRequest) {
      pullRequests.push(pullRequest);
    },
    addArtifact(name, zip, options = {}) {
      const id = nextArtifactId++;
      const createdAt =
        options.createdAt ?? new Date(FIRST_ARTIFACT_AT + artifacts.length * 60_000).toISOString();
      artifacts.push({
        id,
        name,
        zip,
        expired: options.expired ?? false,
        createdAt,
        ...(options.runId === undefined ? {} : { runId: options.runId }),
      });
      return id;
    },
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(response: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(json));
}
