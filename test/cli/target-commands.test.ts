import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { AVAILABLE_ENGINES, describeEachEngine, serverUrlOf } from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { createMigrationFolder, threeMigrations } from '../apply/apply-fixture.ts';
import { runCliCaptured } from './run-cli.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

test('apply refuses to change a target without --backup-dir or an explicit --backup none', async () => {
  const run = await runCliCaptured(['apply', '--target-url', 'postgres://127.0.0.1:5432/app']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('give --backup-dir <dir>, or --backup none');
});

test('rollback needs exactly one of --to and --steps', async () => {
  const run = await runCliCaptured([
    'rollback',
    '--target-url',
    'postgres://127.0.0.1/app',
    '--backup',
    'none',
  ]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('rollback needs --to <name|0> or --steps <n>');
});

test('apply --help prints the target commands usage', async () => {
  const run = await runCliCaptured(['apply', '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('usage: migration-gate apply|status|rollback');
});

describeEachEngine(
  'migration-gate apply, status and rollback',
  (engine) => {
    test('apply, status and rollback a target from the command line, never printing its credentials', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      const url = new URL(target.url);
      // Postgres' trust auth ignores it (MariaDB's root has none): the output must never show it.
      if (engine === 'postgres') url.password = 'hunter2secret';
      const common = [
        '--migrations',
        folder.path,
        '--throwaway',
        'server',
        '--server-url',
        serverUrlOf(engine)!,
      ];

      const apply = await runCliCaptured(
        ['apply', ...common, '--backup', 'none', '--lock-timeout', '5000', '--json'],
        {
          env: { MIGRATION_GATE_TARGET_URL: url.href },
        },
      );
      expect(apply.code).toBe(0);
      expect(JSON.parse(apply.stdout)).toMatchObject({ ok: true, outcome: 'applied', pendingCount: 0 });

      const status = await runCliCaptured(['status', ...common, '--target-url', url.href]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('current: 0003_index_orders');

      const rollback = await runCliCaptured([
        'rollback',
        ...common,
        '--target-url',
        url.href,
        '--backup',
        'none',
        '--steps',
        '2',
      ]);
      expect(rollback.code).toBe(0);
      expect(rollback.stdout).toContain('rolled back 0003_index_orders');
      expect(rollback.stdout).toContain('rolled-back: 2 rolled back');

      const markdown = await runCliCaptured([
        'status',
        ...common,
        '--target-url',
        url.href,
        '--format',
        'markdown',
      ]);
      expect(markdown.stdout).toContain('**Pending**');
      for (const run of [apply, status, rollback, markdown]) {
        expect(run.stdout + run.stderr).not.toContain('hunter2secret');
      }
    });

    test('apply --backup-dir changes the target only after a verified backup, kept 0600 in that folder', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      const backups = await mkdtemp(join(tmpdir(), 'migration-gate-backups-'));
      try {
        const apply = await runCliCaptured([
          'apply',
          '--migrations',
          folder.path,
          '--throwaway',
          'server',
          '--server-url',
          serverUrlOf(engine)!,
          '--target-url',
          target.url,
          '--backup-dir',
          backups,
          '--json',
        ]);
        expect(apply.code).toBe(0);
        const result = JSON.parse(apply.stdout) as {
          outcome: string;
          backup?: { path: string; verified: boolean };
        };
        expect(result.outcome).toBe('applied');
        expect(result.backup?.verified).toBe(true);
        expect(result.backup!.path.startsWith(backups)).toBe(true);
        expect((await stat(result.backup!.path)).mode & 0o777).toBe(0o600);
      } finally {
        await rm(backups, { recursive: true, force: true });
      }
    });
  },
  SERVER_ENGINES,
);
