import { describe, expect, test } from 'vitest';
import {
  AVAILABLE_ENGINES,
  MARIADB_URL,
  describeEachEngine,
  dialectOf,
  serverUrlOf,
} from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { runCliCaptured } from './run-cli.ts';

function throwawayArgs(engine: TestEngine): string[] {
  const url = serverUrlOf(engine);
  return [
    '--dialect',
    dialectOf(engine),
    ...(url === undefined ? ['--throwaway', 'embedded'] : ['--throwaway', 'server', '--server-url', url]),
  ];
}

describeEachEngine('migration-gate check', (engine) => {
  test('proves migrations-example reversible and exits 0', async () => {
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'migrations-example',
      ...throwawayArgs(engine),
    ]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok {3}2024_01_10_0900_create_users {2}reversible$/m);
    expect(run.stdout).toMatch(/^PASSED: 5 migration\(s\) proven \(step mode\): 5 reversible/m);
  });

  test('prints one line per migration with the residue and exits 1 when a down is broken', async () => {
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'test/fixtures/cli/failing',
      ...throwawayArgs(engine),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ok {3}001_create_accounts {2}reversible$/m);
    expect(run.stdout).toMatch(
      /^FAIL 002_index_accounts_email {2}not reversible: down of 002_index_accounts_email does not undo its up/m,
    );
    expect(run.stdout).toMatch(/^ {7}- left index accounts_email_idx on accounts$/m);
    expect(run.stdout).toMatch(/^FAIL 003_create_audit {2}missing down/m);
    expect(run.stdout).toMatch(
      /^FAILED: 3 migration\(s\) proven .*1 reversible, 1 not reversible, 1 missing down/m,
    );
  });

  test('--json prints the result with stable status words and sends progress to stderr', async () => {
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'test/fixtures/cli/failing',
      '--json',
      ...throwawayArgs(engine),
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as { ok: boolean; migrations: { name: string; status: string }[] };
    expect(result.ok).toBe(false);
    expect(result.migrations.map(({ name, status }) => [name, status])).toEqual([
      ['001_create_accounts', 'reversible'],
      ['002_index_accounts_email', 'not-reversible'],
      ['003_create_audit', 'missing-down'],
    ]);
    expect(run.stderr).toMatch(/^ok {3}001_create_accounts/m);
  });

  test('--mode sequence proves the example as a whole', async () => {
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'migrations-example',
      '--mode',
      'sequence',
      ...throwawayArgs(engine),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/proven \(sequence mode\): 5 reversible/);
  });
});

describe('migration-gate check: usage and environment errors exit 2', () => {
  test('a missing migrations folder is named', async () => {
    const run = await runCliCaptured(['check', '--migrations', 'no/such/folder', '--throwaway', 'embedded']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no\/such\/folder/);
    expect(run.stderr).toMatch(/does not exist/);
  });

  test('a module with a syntax error is named with its file', async () => {
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'test/fixtures/cli/broken-malformed',
      '--throwaway',
      'embedded',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/001_broken\.ts/);
  });

  test('an unknown option and an unknown value are refused with the usage', async () => {
    expect((await runCliCaptured(['check', '--no-such-option'])).code).toBe(2);
    const badMode = await runCliCaptured(['check', '--mode', 'sideways']);
    expect(badMode.code).toBe(2);
    expect(badMode.stderr).toMatch(/--mode must be one of step, sequence, not sideways/);
    expect((await runCliCaptured(['check', '--dialect', 'oracle'])).stderr).toMatch(
      /--dialect must be postgres or mysql/,
    );
    expect((await runCliCaptured(['frobnicate'])).code).toBe(2);
  });

  test('--server-url with an unsupported scheme is refused', async () => {
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'migrations-example',
      '--throwaway',
      'server',
      '--server-url',
      'sqlite://x',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unsupported database URL scheme sqlite:/);
  });

  test('mysql without Docker or a server URL lists the options', async () => {
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'migrations-example',
      '--dialect',
      'mysql',
      '--throwaway',
      'embedded',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/embedded throwaway database is Postgres only/);
  });
});

describe.runIf(AVAILABLE_ENGINES.includes('mariadb'))('migration-gate check: credentials', () => {
  test('a wrong password is a clear error that never prints the password', async () => {
    const url = MARIADB_URL.replace('mysql://root@', 'mysql://root:sup3rsecret@');
    const run = await runCliCaptured([
      'check',
      '--migrations',
      'migrations-example',
      '--throwaway',
      'server',
      '--server-url',
      url,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot log in to mysql:\/\/127\.0\.0\.1:3306 as root/);
    expect(run.stdout + run.stderr).not.toContain('sup3rsecret');
  });

  test('the server URL can come from MIGRATION_GATE_SERVER_URL instead of the command line', async () => {
    const run = await runCliCaptured(
      ['check', '--migrations', 'migrations-example', '--throwaway', 'server'],
      {
        env: { MIGRATION_GATE_SERVER_URL: MARIADB_URL },
      },
    );
    expect(run.code).toBe(0);
  });
});
