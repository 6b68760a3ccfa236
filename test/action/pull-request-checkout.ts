import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Files by path, relative to the repository root; `null` deletes the file. */
export type Files = Readonly<Record<string, string | null>>;

/** A temporary repository checked out the way actions/checkout does on a pull_request event. */
export interface PullRequestCheckout extends AsyncDisposable {
  /** The work tree: GITHUB_WORKSPACE. */
  readonly workspace: string;
  readonly baseSha: string;
  readonly headSha: string;
  /** GITHUB_EVENT_PATH: a pull_request event payload, outside the work tree as on a runner. */
  readonly eventPath: string;
  readonly number: number;
}

/**
 * A repository whose `main` holds `base`, a branch adding `head` on top, and, checked out
 * detached, the merge of the two: what actions/checkout (with fetch-depth: 0) gives a
 * `pull_request` run for refs/pull/<number>/merge.
 */
export async function pullRequestCheckout(
  base: Files,
  head: Files,
  number = 7,
): Promise<PullRequestCheckout> {
  const folder = realpathSync(await mkdtemp(join(tmpdir(), 'migration-gate-pr-')));
  const workspace = join(folder, 'shop');
  await mkdir(workspace);
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      [
        '-c',
        'user.name=octocat',
        '-c',
        'user.email=octocat@example.invalid',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      { cwd: workspace, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  const commit = async (files: Files, message: string) => {
    for (const [path, text] of Object.entries(files)) {
      if (text === null) {
        await rm(join(workspace, path));
        continue;
      }
      await mkdir(dirname(join(workspace, path)), { recursive: true });
      await writeFile(join(workspace, path), text);
    }
    git('add', '-A');
    git('commit', '--quiet', '--allow-empty', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  git('init', '--quiet', '--initial-branch=main');
  const baseSha = await commit(base, 'the merged history');
  git('checkout', '--quiet', '-b', 'add-reviews');
  const headSha = await commit(head, 'the pull request');
  git('checkout', '--quiet', '--detach', baseSha);
  git('merge', '--quiet', '--no-ff', '--no-edit', 'add-reviews');

  const eventPath = join(folder, 'event.json');
  await writeFile(eventPath, JSON.stringify(pullRequestEvent(number, baseSha, headSha), null, 2));
  return {
    workspace,
    baseSha,
    headSha,
    eventPath,
    number,
    async [Symbol.asyncDispose]() {
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** A `pull_request` event payload as GitHub sends it, trimmed to a realistic core. */
function pullRequestEvent(number: number, baseSha: string, headSha: string) {
  const repository = {
    id: 4242,
    name: 'shop',
    full_name: 'acme/shop',
    private: false,
    owner: { login: 'acme', id: 99, type: 'Organization' },
    html_url: 'https://github.com/acme/shop',
    default_branch: 'main',
  };
  return {
    action: 'synchronize',
    number,
    before: baseSha,
    after: headSha,
    pull_request: {
      url: `https://api.github.com/repos/acme/shop/pulls/${number}`,
      id: 1_000_000 + number,
      number,
      state: 'open',
      draft: false,
      title: 'Add a reviews table',
      user: { login: 'octocat', id: 1, type: 'User' },
      html_url: `https://github.com/acme/shop/pull/${number}`,
      head: { label: 'acme:add-reviews', ref: 'add-reviews', sha: headSha, repo: repository },
      base: { label: 'acme:main', ref: 'main', sha: baseSha, repo: repository },
      author_association: 'MEMBER',
    },
    repository,
    organization: { login: 'acme', id: 99 },
    sender: { login: 'octocat', id: 1, type: 'User' },
  };
}
