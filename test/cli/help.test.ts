import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { COMMAND_NAMES } from '../../src/core/parts/options/option.ts';
import { REPO_ROOT, runCliCaptured } from './run-cli.ts';

describe('help', () => {
  test('--help lists every command with a line each', async () => {
    const run = await runCliCaptured(['--help']);
    expect(run.code).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot('__snapshots__/help.txt');
    for (const command of COMMAND_NAMES) expect(run.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
  });

  test.each(COMMAND_NAMES)('help %s gives its options, as <command> --help does', async (command) => {
    const run = await runCliCaptured(['help', command]);
    expect(run.code).toBe(0);
    await expect(run.stdout).toMatchFileSnapshot(`__snapshots__/help-${command}.txt`);
    expect(await runCliCaptured([command, '--help'])).toEqual(run);
  });

  test('help of an unknown command is a usage error listing the commands', async () => {
    const run = await runCliCaptured(['help', 'migrate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: unknown command migrate\n\nusage: migration-gate <command>/);
  });

  test('no command at all prints the overview as an error', async () => {
    const run = await runCliCaptured([]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^usage: migration-gate <command> \[options\]/);
  });

  test("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(await runCliCaptured(['--version'])).toEqual({ code: 0, stdout: version, stderr: '' });
  });
});
