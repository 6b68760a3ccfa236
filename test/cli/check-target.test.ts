import { resolve } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import {
  AVAILABLE_ENGINES,
  MARIADB_URL,
  describeEachEngine,
  dialectOf,
  serverUrlOf,
} from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { runCliCaptured } from './run-cli.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

describeEachEngine(
  'migration-gate check --target-url',
  (engine) => {
    const throwaway = ['--throwaway', 'server', '--server-url', serverUrlOf(engine)!];

    test('reports what is pending on the target and its drift, after the proof', async () => {
      const migrations = await loadMigrations({
        path: resolve(import.meta.dirname, '../../migrations-example'),
        dialect: dialectOf(engine),
      });
      await using target = await createTargetDatabase(engine);
      await target.migrateTo(migrations, migrations[2]!.name);
      await sql`alter table users add column nickname varchar(40)`.execute(target.db);

      const json = await runCliCaptured([
        'check',
        '--migrations',
        'migrations-example',
        ...throwaway,
        '--target-url',
        target.url,
        '--json',
      ]);
      expect(json.code).toBe(0);
      const result = JSON.parse(json.stdout) as CheckResult;
      expect(result.target).toMatchObject({
        applied: migrations.slice(0, 3).map((m) => m.name),
        pending: ['2024_02_01_0815_create_tags', '2024_03_05_1100_add_users_username'],
        unknown: [],
        drift: ['column users.nickname was added on the target'],
      });

      const text = await runCliCaptured(['check', '--migrations', 'migrations-example', ...throwaway], {
        env: { MIGRATION_GATE_TARGET_URL: target.url },
      });
      expect(text.stdout).toMatch(
        /^ {7}3 applied, 2 pending \(2024_02_01_0815_create_tags, 2024_03_05_1100_add_users_username\)$/m,
      );
      expect(text.stdout).toMatch(/^ {7}drift: column users\.nickname was added on the target$/m);
    });
  },
  SERVER_ENGINES,
);

describe.runIf(AVAILABLE_ENGINES.includes('mariadb'))(
  'migration-gate check: a target it cannot log in to',
  () => {
    test('the proof still runs and passes; the target shows the error, and no password anywhere', async () => {
      const run = await runCliCaptured([
        'check',
        '--migrations',
        'migrations-example',
        '--throwaway',
        'server',
        '--server-url',
        MARIADB_URL,
        '--target-url',
        'mysql://root:sup3rsecret@127.0.0.1:3306/app',
      ]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^ {7}error: cannot log in to mysql:\/\/127\.0\.0\.1:3306\/app as root: wrong password or user/m,
      );
      expect(run.stderr).toMatch(/^warning: target mysql:\/\/127\.0\.0\.1:3306\/app: cannot log in/m);
      expect(run.stdout + run.stderr).not.toContain('sup3rsecret');
    });
  },
);

describe('migration-gate check --target-url: usage errors', () => {
  test('a target URL of an unsupported scheme is refused before any proof', async () => {
    const run = await runCliCaptured(['check', '--target-url', 'sqlite://prod.db']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unsupported database URL scheme sqlite:/);
  });
});
