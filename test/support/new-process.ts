import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

/** A source file of this repository as an import specifier for {@link runInNewProcess}. */
export function sourceModule(pathFromRoot: string): string {
  return JSON.stringify(resolve(import.meta.dirname, '../..', pathFromRoot));
}

/**
 * Runs `body` as an ES module in a new Node process with exactly `env`, and returns its last
 * line of output parsed as JSON. For code whose library reads the environment once per process:
 * testcontainers keeps its configuration and runtime client for the process's lifetime.
 */
export function runInNewProcess<T>(body: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<T> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', body],
      { env, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error !== null) fail(new Error(`the script failed: ${error.message}\n${stderr}`));
        else done(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T);
      },
    );
  });
}
