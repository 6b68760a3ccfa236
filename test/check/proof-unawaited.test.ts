import { beforeAll, expect, it, test } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { spawnCli } from '../cli/spawn-cli.ts';
import { describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import { proofFixture, resultOf, verdicts } from './check-fixture.ts';

// A spawned CLI, as a user runs it: an unhandled rejection in this process would end the test run.
describeEachEngine('check on migrations that leave work behind them', (engine) => {
  let check: CheckResult;
  let stderr: string;
  beforeAll(async () => {
    const serverUrl = serverUrlOf(engine);
    const cli = spawnCli([
      'check',
      '--migrations',
      proofFixture('missing-await'),
      '--dialect',
      dialectOf(engine),
      '--throwaway',
      engine === 'pglite' ? 'embedded' : 'server',
      ...(serverUrl === undefined ? [] : ['--server-url', serverUrl]),
      '--format',
      'json',
    ]);
    const exit = await cli.exited;
    stderr = exit.stderr;
    expect(exit.code, exit.stderr).toBe(1);
    check = JSON.parse(exit.stdout) as CheckResult;
  });

  it('reports a down that returned before its statements ran as a missing await on that migration', () => {
    const result = resultOf(check, '0001_create_report_view');
    expect(result.status).toBe('not-reversible');
    expect(result.message).toMatch(
      /^down failed: down of 0001_create_report_view returned before 2 of its statements ran: a missing await\?/,
    );
  });

  it('reports a rejection an up left unhandled as that up failing, at its file', () => {
    const result = resultOf(check, '0003_late_rejection');
    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'up failed: up of 0003_late_rejection raised an error after it returned: audit hook failed',
    );
  });

  it('goes on proving the rest and reports every migration, with no stack trace', () => {
    expect(verdicts(check)).toEqual([
      '0001_create_report_view: not-reversible',
      '0002_create_customers: reversible',
      '0003_late_rejection: error',
    ]);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

test('a rejection a migration leaves for later, after every step has ended, is said and fails the run instead of crashing it', async () => {
  const cli = spawnCli([
    'check',
    '--migrations',
    proofFixture('late-timer'),
    '--throwaway',
    'server',
    '--server-url',
    serverUrlOf('postgres')!,
    '--format',
    'json',
  ]);
  const exit = await cli.exited;

  expect(verdicts(JSON.parse(exit.stdout) as CheckResult)).toEqual(['0001_create_audit: reversible']);
  expect(exit.stderr).toContain(
    "error: a migration's code raised an error after its step had ended (a timer, or a promise it did not await?): nightly audit failed",
  );
  expect(exit.stderr).not.toMatch(/\n\s+at /);
  expect(exit.code).toBe(1);
});
