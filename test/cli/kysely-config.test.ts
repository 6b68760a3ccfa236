import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AVAILABLE_ENGINES, MARIADB_URL } from '../support/engines.ts';
import { closedLoopbackPort } from './loopback-server.ts';
import { REPO_ROOT, runCliCaptured } from './run-cli.ts';

interface JsonResult {
  ok: boolean;
  dialect: string;
  migrations: { name: string; status: string }[];
}

/** kysely.config.ts: migrationFolder 'db/migrations', a PostgresDialect. */
const WITH_CONFIG = join(REPO_ROOT, 'test/fixtures/cli/with-config');
/** .config/kysely.config.ts: migrationFolder 'database/migrations', a MysqlDialect. */
const WITH_DOT_CONFIG = join(REPO_ROOT, 'test/fixtures/cli/with-dot-config');

/** A server URL of the other dialect that is never contacted: the dialect check comes first. */
async function unusedUrl(scheme: 'postgres' | 'mysql'): Promise<string> {
  return `${scheme}://u@127.0.0.1:${await closedLoopbackPort()}/db`;
}

describe('migration-gate check without --migrations reads kysely-ctl configuration', () => {
  test('kysely.config.ts gives the migrations folder, and the proof runs there', async () => {
    const run = await runCliCaptured(['check', '--throwaway', 'embedded', '--json'], { cwd: WITH_CONFIG });
    expect(run.stderr).toContain(`1 migration(s) in ${join(WITH_CONFIG, 'db/migrations')}`);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(result.dialect).toBe('postgres');
    expect(result.migrations.map(({ name, status }) => [name, status])).toEqual([
      ['001_create_notes', 'reversible'],
    ]);
  });

  test("kysely.config.ts's PostgresDialect wins over a mysql:// server URL", async () => {
    const run = await runCliCaptured(
      ['check', '--throwaway', 'server', '--server-url', await unusedUrl('mysql')],
      { cwd: WITH_CONFIG },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: --server-url is a mysql URL but the dialect is postgres');
  });

  test('.config/kysely.config.ts gives the folder, resolved from the project root, and the mysql dialect', async () => {
    const run = await runCliCaptured(
      ['check', '--throwaway', 'server', '--server-url', await unusedUrl('postgres')],
      { cwd: WITH_DOT_CONFIG },
    );
    expect(run.stderr).toContain(`1 migration(s) in ${join(WITH_DOT_CONFIG, 'database/migrations')}`);
    expect(run.stderr).toContain('error: --server-url is a postgres URL but the dialect is mysql');
    expect(run.code).toBe(2);
  });

  test.runIf(AVAILABLE_ENGINES.includes('mariadb'))(
    '.config/kysely.config.ts: the proof runs on MariaDB with the configured folder',
    async () => {
      const run = await runCliCaptured(
        ['check', '--throwaway', 'server', '--server-url', MARIADB_URL, '--json'],
        {
          cwd: WITH_DOT_CONFIG,
        },
      );
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as JsonResult;
      expect(result.dialect).toBe('mysql');
      expect(result.migrations.map(({ name, status }) => [name, status])).toEqual([
        ['001_create_tags', 'reversible'],
      ]);
    },
  );

  test('an explicit --dialect still wins over the configuration', async () => {
    const run = await runCliCaptured(
      ['check', '--dialect', 'postgres', '--throwaway', 'server', '--server-url', await unusedUrl('mysql')],
      { cwd: WITH_DOT_CONFIG },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`1 migration(s) in ${join(WITH_DOT_CONFIG, 'database/migrations')}`);
    expect(run.stderr).toContain('error: --server-url is a mysql URL but the dialect is postgres');
  });
});

describe('migration-gate check without --migrations or configuration uses ./migrations', () => {
  let project: string;

  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'migration-gate-noconfig-'));
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  test('./migrations is proven when it exists', async () => {
    await mkdir(join(project, 'migrations'));
    await writeFile(
      join(project, 'migrations', '001_create_items.sql'),
      '-- migrate:up\ncreate table items (id int primary key);\n\n-- migrate:down\ndrop table items;\n',
    );
    const run = await runCliCaptured(['check', '--throwaway', 'embedded'], { cwd: project });
    expect(run.stderr).toContain(`1 migration(s) in ${join(project, 'migrations')}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok {3}001_create_items {2}reversible$/m);
  });

  test('a missing ./migrations is a usage error naming it', async () => {
    const run = await runCliCaptured(['check', '--throwaway', 'embedded'], { cwd: project });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: migrations folder ${join(project, 'migrations')} does not exist`);
  });
});
