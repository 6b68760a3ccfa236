import { resolve } from 'node:path';
import { runCli } from '../../src/cli/run.ts';

/** The repository root: CLI tests run from here, as a developer would. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** What one in-process CLI run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process with captured output. */
export async function runCliCaptured(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
    env: options.env ?? {},
    cwd: options.cwd ?? REPO_ROOT,
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
