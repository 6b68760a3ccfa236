import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readInputs } from '../../src/action/inputs.ts';
import { parseCheckArguments } from '../../src/cli/args.ts';
import { parseTargetArguments } from '../../src/cli/target-args.ts';
import { messageOf } from '../../src/core/model/errors.ts';

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'migration-gate-shells-agree-'));
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

const TARGET = 'postgres://deployer:s3cret@db.example.com:5432/app';

/** What the CLI says about `--name bad`, with the option named OPTION. */
function cliRefusal(command: 'check' | 'apply' | 'rollback', name: string, bad: string): string {
  const argv = [
    ...(command === 'check' ? [] : ['--target-url', TARGET, '--backup', 'none']),
    `--${name}`,
    bad,
  ];
  try {
    if (command === 'check') parseCheckArguments(argv, {});
    else parseTargetArguments(command, argv, {});
  } catch (error) {
    return messageOf(error).replace(`--${name}`, 'OPTION');
  }
  throw new Error(`the CLI took --${name} ${bad}`);
}

/** What the action says about input `name: bad`, with the input named OPTION. */
async function actionRefusal(
  command: 'check' | 'apply' | 'rollback',
  name: string,
  bad: string,
): Promise<string> {
  const inputs: Record<string, string> = {
    command,
    [name]: bad,
    ...(command === 'check' ? {} : { 'target-url': TARGET }),
  };
  const error = await readInputs((input) => inputs[input] ?? '', workspace).then(
    () => new Error(`the action took ${name}: ${bad}`),
    (thrown: unknown) => thrown,
  );
  return messageOf(error).replace(`input ${name}`, 'OPTION');
}

test.each([
  ['check', 'dialect', 'oracle'],
  ['check', 'throwaway', 'cloud'],
  ['check', 'mode', 'sideways'],
  ['check', 'server-url', 'sqlite://x'],
  ['check', 'target-url', 'https://admin:hunter2@db.example.com/app'],
  ['apply', 'require-reversible', 'maybe'],
  ['apply', 'transaction', 'each'],
  ['apply', 'backup', 'skip'],
  ['apply', 'backup-verify', 'laptop'],
  ['apply', 'lock-timeout', '5h'],
  ['apply', 'statement-timeout', '1.5s'],
  ['rollback', 'steps', 'two'],
  ['check', 'lock-timeout', '5s'],
] as const)(
  '%s with %s %s: the CLI and the action refuse it in the same words',
  async (command, name, bad) => {
    const cli = cliRefusal(command, name, bad);
    expect(cli).toContain('OPTION');
    expect(await actionRefusal(command, name, bad)).toBe(cli);
  },
);
