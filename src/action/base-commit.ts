import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UsageError } from '../core/model/errors.ts';

const run = promisify(execFile);

/**
 * Fails with the fix when the pull request's base commit is not in the checkout: actions/checkout
 * fetches one commit by default, and comparing with the base needs its history.
 */
export async function requireBaseCommit(sha: string, cwd: string): Promise<void> {
  await run('git', ['rev-parse', '--show-toplevel'], { cwd }).catch((error: unknown) => {
    throw new UsageError(`${cwd} is not a git checkout: run actions/checkout (with fetch-depth: 0) first`, {
      cause: error,
    });
  });
  await run('git', ['cat-file', '-e', `${sha}^{commit}`], { cwd }).catch((error: unknown) => {
    throw new UsageError(
      `the pull request's base commit ${sha} is not in this checkout: set fetch-depth: 0 on actions/checkout`,
      { cause: error },
    );
  });
}
