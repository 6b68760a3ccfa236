import { describe, expect, test } from 'vitest';
import { runCliCaptured } from './run-cli.ts';

describe('--json when the run fails before a result exists', () => {
  test('a missing migrations folder: a JSON error object on stdout, the message on stderr, exit 2', async () => {
    const run = await runCliCaptured(['check', '--migrations', 'no/such/folder', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      error: {
        kind: 'usage',
        message: expect.stringMatching(/^migrations folder .*no\/such\/folder does not exist$/),
        file: expect.stringMatching(/no\/such\/folder$/),
      },
    });
    expect(run.stderr).toMatch(/^error: migrations folder .* does not exist/);
  });

  test('an option that cannot be read, with --format json: the same object, credentials redacted', async () => {
    const run = await runCliCaptured([
      'status',
      '--format',
      'json',
      '--target-url',
      'postgres://deployer:s3cret@db.example.com:5432/app',
      '--lock-timeout',
      '5s',
    ]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      error: { kind: 'usage', message: expect.stringContaining('--lock-timeout') },
    });
    expect(run.stdout + run.stderr).not.toContain('s3cret');
  });

  test('without --json, stdout stays empty', async () => {
    const run = await runCliCaptured(['check', '--migrations', 'no/such/folder']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
  });
});
