import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { AVAILABLE_ENGINES, POSTGRES_URL } from '../support/engines.ts';
import { startFakeActionsResults } from './fake-actions-results.ts';
import type { FakeGitHub } from './fake-github.ts';
import { startFakeGitHub } from './fake-github.ts';
import type { PullRequestCheckout } from './pull-request-checkout.ts';
import { pullRequestCheckout } from './pull-request-checkout.ts';
import type { ActionRun } from './run-action.ts';
import { REPO_ROOT, runAction } from './run-action.ts';

// From source, as Node 24 runs TypeScript: these steps need no rebuilt dist/index.js.
const SOURCE = join(REPO_ROOT, 'src/action/main.ts');
const THROWAWAY = AVAILABLE_ENGINES.includes('postgres') ? 'server' : 'embedded';
const READ_ONLY_TOKEN = 'ghs_forkReadOnlyToken0123456789';
const WRITE_TOKEN = 'ghs_companionWriteToken0123456789';
const RUN_ID = 4711;
const FORK = { owner: 'contributor', branch: 'add-reviews' };

const MERGED = {
  'db/migrations/0001_create_books.sql':
    '-- migrate:up\ncreate table books (id bigint primary key, title text not null);\n\n-- migrate:down\ndrop table books;\n',
  'migration-gate.config.json': '{ "lockTimeout": "5s" }\n',
};
const FORKED = {
  'db/migrations/0002_create_reviews.sql':
    '-- migrate:up\ncreate table reviews (id bigint primary key, stars int);\n\n-- migrate:down\ndrop table reviews;\n',
};

/** An unsigned JWT as the runner's ACTIONS_RUNTIME_TOKEN: only its `scp` claim is read. */
function runtimeToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ scp: 'Actions.Results:run-backend:job-backend' })}.`;
}

/** The check, on the fork's pull request: a read-only token, the results service for artifacts. */
function forkCheck(
  checkout: PullRequestCheckout,
  github: FakeGitHub,
  resultsUrl: string,
): Promise<ActionRun> {
  return runAction({
    bundle: SOURCE,
    workspace: checkout.workspace,
    with: {
      command: 'check',
      migrations: 'db/migrations',
      dialect: 'postgres',
      throwaway: THROWAWAY,
      ...(THROWAWAY === 'server' ? { 'server-url': POSTGRES_URL } : {}),
      'github-token': READ_ONLY_TOKEN,
    },
    env: {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: checkout.eventPath,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: String(RUN_ID),
      ACTIONS_RUNTIME_TOKEN: runtimeToken(),
      ACTIONS_RESULTS_URL: resultsUrl,
    },
  });
}

/** The companion workflow's step, on the workflow_run event GitHub sends once the check's run completed. */
async function companion(checkout: PullRequestCheckout, github: FakeGitHub): Promise<ActionRun> {
  const event = join(checkout.workspace, '..', 'workflow-run.json');
  await writeFile(
    event,
    JSON.stringify({
      action: 'completed',
      workflow_run: {
        id: RUN_ID,
        event: 'pull_request',
        head_sha: checkout.headSha,
        head_branch: FORK.branch,
        head_repository: { owner: { login: FORK.owner }, name: 'shop' },
        // GitHub links no pull request to a run from a fork.
        pull_requests: [],
      },
      repository: { owner: { login: 'acme' }, name: 'shop' },
    }),
  );
  return runAction({
    bundle: SOURCE,
    workspace: checkout.workspace,
    with: { command: 'comment', 'github-token': WRITE_TOKEN },
    env: {
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: event,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: github.url,
    },
  });
}

async function zipOf(files: Readonly<Record<string, string>>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function entries(zip: Buffer): Promise<Record<string, string>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const found: Record<string, string> = {};
  try {
    for await (const entry of file.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await file.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      found[entry.fileName] = Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    file.close();
  }
  return found;
}

test('a pull request from a fork: the check reports from its verdict despite a 403, and the companion workflow posts, then updates, its sticky comment', async () => {
  await using checkout = await pullRequestCheckout(MERGED, FORKED);
  await using github = await startFakeGitHub();
  await using results = await startFakeActionsResults();
  github.addPullRequest({
    number: checkout.number,
    head: `${FORK.owner}:${FORK.branch}`,
    headSha: checkout.headSha,
  });
  github.forbidWrites();

  const check = await forkCheck(checkout, github, results.url);

  // The 403 is a warning that names the way out; the step's result is the verdict's.
  expect(check.code, check.stdout + check.stderr).toBe(0);
  expect(check.stdout).toMatch(
    /^::warning::cannot comment on pull request #7 \(HTTP 403\): .*the comment needs the companion workflow \(command: comment, on workflow_run; see \.github\/examples\/pull-request-comment\.yml\); the report is in the job summary and in artifact migration-gate-report-[0-9a-f]{12}$/m,
  );
  expect(check.outputs['verdict']).toMatch(/^✅ 1 new migration is reversible/);
  expect(check.summary).toContain(check.outputs['verdict']);
  expect(github.comments(7)).toEqual([]);
  const [artifact] = results.artifacts;
  expect(artifact?.name).toMatch(/^migration-gate-report-[0-9a-f]{12}$/);
  const files = await entries(artifact!.blob!);
  expect(Object.keys(files).sort()).toEqual(['check.json', 'check.md', 'comment.json']);
  expect(files['check.md']).toContain(check.outputs['verdict']);
  const request = JSON.parse(files['comment.json']!) as { marker: string; body: string; create: boolean };
  expect(request.marker).toBe('<!-- migration-gate:sticky dir=db/migrations target=postgres -->');
  expect(request.body).toContain(check.outputs['verdict']);
  expect(request.create).toBe(true);

  // GitHub keeps the artifact with the run; the companion runs with a token that may write.
  github.addArtifact(artifact!.name, artifact!.blob!, { runId: RUN_ID });
  github.forbidWrites(false);
  github.requests.length = 0;
  const first = await companion(checkout, github);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  expect(github.comments(7).map((comment) => comment.body)).toEqual([request.body]);
  expect(first.stdout).toContain(`${artifact!.name}: created the comment on pull request #7`);
  expect(github.requests.every((r) => r.authorization === `token ${WRITE_TOKEN}`)).toBe(true);

  github.comments(7)[0]!.body = `${request.marker}\nan older report`;
  const second = await companion(checkout, github);
  expect(second.code, second.stdout + second.stderr).toBe(0);
  expect(github.comments(7).map((comment) => comment.body)).toEqual([request.body]);
  expect(second.stdout).toContain(`${artifact!.name}: updated the comment on pull request #7`);
});

test('the companion refuses an artifact whose comment.json is not what a check writes, and posts nothing', async () => {
  await using checkout = await pullRequestCheckout(MERGED, FORKED);
  await using github = await startFakeGitHub();
  await using results = await startFakeActionsResults();
  github.addPullRequest({
    number: checkout.number,
    head: `${FORK.owner}:${FORK.branch}`,
    headSha: checkout.headSha,
  });
  github.forbidWrites();
  const check = await forkCheck(checkout, github, results.url);
  expect(check.code, check.stdout + check.stderr).toBe(0);
  const [artifact] = results.artifacts;
  // What a forged run could upload: a comment request whose body is not the marked comment it claims.
  const files = await entries(artifact!.blob!);
  const request = JSON.parse(files['comment.json']!) as { marker: string; body: string };
  const tampered = await zipOf({
    ...files,
    'comment.json': JSON.stringify({ ...request, body: request.body.replace(request.marker, 'pwned') }),
  });
  github.addArtifact(artifact!.name, tampered, { runId: RUN_ID });
  github.forbidWrites(false);

  const run = await companion(checkout, github);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(
    /::error::could not post 1 report\(s\) on pull request #7: migration-gate-report-/,
  );
  expect(github.comments(7)).toEqual([]);
});
