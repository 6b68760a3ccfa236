import { expect, test } from 'vitest';
import { AVAILABLE_ENGINES, dialectOf, serverUrlOf } from '../support/engines.ts';
import { runCliCaptured } from './run-cli.ts';

// One engine is enough: the formats render the same result whatever proved it.
const engine = AVAILABLE_ENGINES[0];

test.runIf(engine !== undefined)(
  '--format markdown prints the report on stdout, progress on stderr, with the exit code of the proof',
  async () => {
    const url = serverUrlOf(engine!);
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'test/fixtures/cli/failing',
      '--dialect',
      dialectOf(engine!),
      ...(url === undefined ? ['--throwaway', 'embedded'] : ['--throwaway', 'server', '--server-url', url]),
      '--format',
      'markdown',
    ]);
    expect(run.code).toBe(1);
    // The verdict goes on to count risks; those are the plan's tests' business.
    expect(run.stdout.split('\n')[0]).toMatch(/^\*\*❌ 2 of 3 migrations fail the proof\b/);
    expect(run.stdout).toMatch(/^\| <code>002_index_accounts_email<\/code> \| ❌ not reversible \|/m);
    expect(run.stdout).toContain('- left index accounts_email_idx on accounts');
    expect(run.stderr).toMatch(/^FAIL 002_index_accounts_email/m);
  },
);

test('--format accepts text, json and markdown only', async () => {
  const run = await runCliCaptured(['check', '--format', 'html']);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--format must be one of text, json, markdown, not html/);
});
