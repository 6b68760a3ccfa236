import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { createBackupTarget } from '../backup/backup-target.ts';
import {
  changeAfterBackup,
  createTemporaryFolder,
  migrateTo,
  verifiedBackupOf,
} from '../restore/restore-fixture.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { createMigrationFolder, threeMigrations } from '../apply/apply-fixture.ts';
import { runCliCaptured } from './run-cli.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

const TARGET = ['--target-url', 'postgres://127.0.0.1/app'];

test.each([
  [
    'apply refuses to change a target without --backup-dir or an explicit --backup none',
    ['apply', '--target-url', 'postgres://127.0.0.1:5432/app'],
    'give --backup-dir <dir>, or --backup none',
  ],
  [
    'rollback needs exactly one of --to and --steps',
    ['rollback', ...TARGET, '--backup', 'none'],
    'rollback needs --to <name|0> or --steps <n>',
  ],
  [
    'restore needs --from naming the backup',
    ['restore', ...TARGET, '--backup', 'none'],
    'restore needs --from <backup file or folder>',
  ],
  [
    'apply refuses --from, which only restore takes',
    ['apply', ...TARGET, '--backup', 'none', '--from', 'backup.dump'],
    '--from is for command restore, not apply',
  ],
  [
    '--transaction is apply only',
    ['rollback', ...TARGET, '--backup', 'none', '--steps', '1', '--transaction', 'all'],
    '--transaction is for command apply, not rollback',
  ],
  [
    '--transaction is per-migration or all',
    ['apply', ...TARGET, '--backup', 'none', '--transaction', 'each'],
    '--transaction must be one of per-migration, all, not each',
  ],
  [
    '--backup-verify is server or container',
    ['apply', ...TARGET, '--backup-dir', 'backups', '--backup-verify', 'laptop'],
    '--backup-verify must be one of server, container, not laptop',
  ],
  [
    '--backup-verify needs --backup-dir',
    ['apply', ...TARGET, '--backup', 'none', '--backup-verify', 'container'],
    '--backup-verify says where the backup of --backup-dir is verified',
  ],
  [
    'restore refuses to change a target without --backup-dir or an explicit --backup none',
    ['restore', ...TARGET, '--from', 'backup.dump'],
    'restore changes the target: give --backup-dir <dir>, or --backup none',
  ],
])('%s (exit 2)', async (_title, argv, message) => {
  const run = await runCliCaptured(argv);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(message);
});

test("restore --help prints restore's own usage, with --from", async () => {
  const run = await runCliCaptured(['restore', '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('usage: migration-gate restore --target-url <url> --from <path>');
  expect(run.stdout).toContain('--from <path>');
});

test("apply --help prints apply's own usage", async () => {
  const run = await runCliCaptured(['apply', '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('usage: migration-gate apply --target-url <url>');
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
      if (dialectOf(engine) === 'postgres') url.password = 'hunter2secret';
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
      // Each migration once: as it ran, not again in the report.
      expect((rollback.stdout + rollback.stderr).match(/rolled back 0003_index_orders/g)).toHaveLength(1);

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

describeEachEngine(
  'migration-gate restore',
  (engine) => {
    test('restore from the command line: a fresh backup first, then the backup restored; the password never printed', async () => {
      await using backups = await createTemporaryFolder();
      await using fresh = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      await migrateTo(target.db, '0002_seed_notes');
      const record = await verifiedBackupOf(target, backups.path);
      await changeAfterBackup(target);
      const url = new URL(target.url);
      // Postgres' trust auth ignores it (MariaDB's root has none): the output must never show it.
      if (dialectOf(engine) === 'postgres') url.password = 'hunter2secret';
      const env = { MIGRATION_GATE_TARGET_URL: url.href };

      const json = await runCliCaptured(
        ['restore', '--from', record.path, '--backup-dir', fresh.path, '--json'],
        { env },
      );
      expect(json.code).toBe(0);
      const result = JSON.parse(json.stdout) as { backup?: { path: string } };
      expect(result).toMatchObject({
        version: 1,
        ok: true,
        outcome: 'restored',
        from: record.path,
        current: '0002_seed_notes',
        backup: { verified: true },
      });
      expect(result.backup!.path.startsWith(fresh.path)).toBe(true);

      const text = await runCliCaptured([
        'restore',
        '--target-url',
        url.href,
        '--from',
        record.path,
        '--backup',
        'none',
      ]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('restored: ');
      expect(text.stdout).toContain('at 0002_seed_notes');

      const refused = await runCliCaptured([
        'restore',
        '--target-url',
        url.href,
        '--from',
        join(backups.path, 'missing.dump'),
        '--backup-dir',
        fresh.path,
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('error: no backup file or folder at');
      for (const run of [json, text, refused]) expect(run.stdout + run.stderr).not.toContain('hunter2secret');
    });

    test('restore from a folder with two backups is a usage error, exit code 2', async () => {
      await using backups = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      await verifiedBackupOf(target, backups.path);
      await verifiedBackupOf(target, backups.path);
      expect((await readdir(backups.path)).length).toBe(4);

      const run = await runCliCaptured([
        'restore',
        '--target-url',
        target.url,
        '--from',
        backups.path,
        '--backup',
        'none',
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error: ${backups.path} holds 2 backups; give one of them with --from: `);
    });
  },
  SERVER_ENGINES,
);

test.runIf(SERVER_ENGINES.includes('postgres'))(
  'a failed restore prints the command that puts the fresh backup back, and that command works',
  async () => {
    await using backups = await createTemporaryFolder();
    await using fresh = await createTemporaryFolder();
    await using target = await createBackupTarget('postgres');
    const record = await verifiedBackupOf(target, backups.path);
    // A view made after the backup depends on a table the restore drops: pg_restore fails.
    await sql`create view recent_posts as select id, title from posts`.execute(target.db);
    await sql`delete from posts where id = 4`.execute(target.db);
    const url = new URL(target.url);
    url.password = 'hunter2secret';
    const env = { MIGRATION_GATE_TARGET_URL: url.href };

    const failed = await runCliCaptured(['restore', '--from', record.path, '--backup-dir', fresh.path], {
      env,
    });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAILED: pg_restore failed restoring into');
    expect(failed.stdout).toContain('state: nothing was changed: the restore runs in one transaction');
    const recovery = /recover: `(migration-gate restore [^`]+)`/.exec(failed.stdout)?.[1];
    expect(recovery).toMatch(
      /^migration-gate restore --target-url "\$MIGRATION_GATE_TARGET_URL" --from \S+ --backup none$/,
    );
    const freshBackup = (await readdir(fresh.path)).find((name) => name.endsWith('.dump'))!;
    expect(recovery).toContain(join(fresh.path, freshBackup));

    const argv = recovery!
      .split(' ')
      .slice(1)
      .map((word) => (word === '"$MIGRATION_GATE_TARGET_URL"' ? url.href : word));
    const back = await runCliCaptured(argv, { env });
    expect(back.code).toBe(0);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from recent_posts`.execute(target.db);
    expect(rows[0]!.n).toBe(3);
    for (const run of [failed, back]) expect(run.stdout + run.stderr).not.toContain('hunter2secret');
  },
);
