import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { backupStepForApply } from '../../src/core/parts/backup/take-verified-backup.ts';
import { UsageError } from '../../src/core/model/errors.ts';
import type { Logger } from '../../src/core/model/logger.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import type { RestoreRequest } from '../../src/core/flows/restore/restore.ts';
import { runRestore } from '../../src/core/flows/restore/restore.ts';
import { renderRestoreText } from '../../src/core/parts/report/restore-report.ts';
import { diffSnapshots } from '../../src/core/parts/schema/diff.ts';
import { createBackupTarget, toolImageOf } from '../backup/backup-target.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import {
  changeAfterBackup,
  columnsOf,
  copyBackupAs,
  createTemporaryFolder,
  flipOneByte,
  migrateTo,
  verifiedBackupOf,
} from './restore-fixture.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

/** A logger that keeps its warnings. */
function warningLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (message) => warnings.push(message), debug: () => {} };
}

function restore(overrides: Partial<RestoreRequest> & Pick<RestoreRequest, 'targetUrl' | 'from' | 'backup'>) {
  return runRestore({ cwd: '/', logger: silentLogger, ...overrides });
}

describeEachEngine(
  'restore',
  (engine: TestEngine) => {
    test('brings back the rows and schema changed after the backup, and reports the migration the target is at', async () => {
      await using backups = await createTemporaryFolder();
      await using fresh = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      await migrateTo(target.db, '0002_seed_notes');
      const original = await target.read();
      const record = await verifiedBackupOf(target, backups.path);
      await changeAfterBackup(target);
      expect(await columnsOf(engine, target.db, 'authors')).toContain('email');

      const result = await restore({
        ...toolImageOf(engine),
        targetUrl: target.url,
        from: record.path,
        backup: backupStepForApply({ dir: fresh.path, logger: silentLogger, ...toolImageOf(engine) }),
      });

      expect(result).toMatchObject({
        ok: true,
        outcome: 'restored',
        dialect: dialectOf(engine) === 'postgres' ? 'postgres' : 'mysql',
        from: record.path,
        differences: [],
        current: '0002_seed_notes',
      });
      expect(result.refusal).toBeUndefined();
      expect(result.failure).toBeUndefined();
      const after = await target.read();
      expect(diffSnapshots(original.schema, after.schema).changes).toEqual([]);
      expect(after.rowCounts).toEqual(original.rowCounts);
      expect(await columnsOf(engine, target.db, 'authors')).not.toContain('email');
      const text = renderRestoreText(result);
      expect(text).toContain(`fresh backup: ${result.backup!.path}`);
      expect(text).toContain(`restored: ${record.path} into `);
      expect(text).toContain('at 0002_seed_notes');
    });

    test('takes a fresh verified backup first, which restores the target as it was before the restore', async () => {
      await using backups = await createTemporaryFolder();
      await using fresh = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      await migrateTo(target.db, '0002_seed_notes');
      const record = await verifiedBackupOf(target, backups.path);
      await changeAfterBackup(target);
      const changed = await target.read();

      const result = await restore({
        ...toolImageOf(engine),
        targetUrl: target.url,
        from: record.path,
        backup: backupStepForApply({ dir: fresh.path, logger: silentLogger, ...toolImageOf(engine) }),
      });
      expect(result.outcome).toBe('restored');
      expect(result.backup).toMatchObject({ verified: true });
      expect(result.backup!.path.startsWith(fresh.path)).toBe(true);

      const back = await restore({
        ...toolImageOf(engine),
        targetUrl: target.url,
        from: result.backup!.path,
        backup: 'none',
      });
      expect(back).toMatchObject({
        ok: true,
        outcome: 'restored',
        differences: [],
        current: '0003_add_author_email',
      });
      const after = await target.read();
      expect(diffSnapshots(changed.schema, after.schema).changes).toEqual([]);
      expect(after.rowCounts).toEqual(changed.rowCounts);
    });

    test('refuses a backup file with one byte changed: no fresh backup taken, the target untouched', async () => {
      await using backups = await createTemporaryFolder();
      await using fresh = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      await migrateTo(target.db, '0002_seed_notes');
      const record = await verifiedBackupOf(target, backups.path);
      await changeAfterBackup(target);
      const changed = await target.read();
      await flipOneByte(record.path);

      const result = await restore({
        ...toolImageOf(engine),
        targetUrl: target.url,
        from: record.path,
        backup: backupStepForApply({ dir: fresh.path, logger: silentLogger, ...toolImageOf(engine) }),
      });

      expect(result).toMatchObject({ ok: false, outcome: 'refused', refusal: { reason: 'checksum' } });
      expect(result.refusal!.message).toContain(`the backup file ${record.path} does not match its manifest`);
      expect(result.backup).toBeUndefined();
      expect(await readdir(fresh.path)).toEqual([]);
      const after = await target.read();
      expect(diffSnapshots(changed.schema, after.schema).changes).toEqual([]);
      expect(after.rowCounts).toEqual(changed.rowCounts);
      expect(renderRestoreText(result)).toContain('REFUSED (checksum)');
    });

    test('restores the one backup in a folder named relative to the working directory, as a downloaded artifact arrives', async () => {
      await using work = await createTemporaryFolder();
      const artifact = join(work.path, 'artifact');
      await mkdir(artifact);
      await using target = await createBackupTarget(engine);
      await migrateTo(target.db, '0002_seed_notes');
      const record = await verifiedBackupOf(target, artifact);
      await changeAfterBackup(target);

      const result = await restore({
        ...toolImageOf(engine),
        targetUrl: target.url,
        from: 'artifact',
        cwd: work.path,
        backup: 'none',
      });

      expect(result).toMatchObject({
        ok: true,
        outcome: 'restored',
        from: record.path,
        current: '0002_seed_notes',
      });
    });

    test('--backup none restores without taking a fresh backup, and says so', async () => {
      await using backups = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      await migrateTo(target.db, '0002_seed_notes');
      const record = await verifiedBackupOf(target, backups.path);
      await changeAfterBackup(target);
      const logger = warningLogger();

      const result = await restore({
        ...toolImageOf(engine),
        targetUrl: target.url,
        from: record.path,
        backup: 'none',
        logger,
      });

      expect(result).toMatchObject({ ok: true, outcome: 'restored', current: '0002_seed_notes' });
      expect(result.backup).toBeUndefined();
      expect(await readdir(backups.path)).toHaveLength(2);
      expect(logger.warnings).toContain('no fresh backup taken: backup none was asked for');
      expect(renderRestoreText(result)).not.toContain('fresh backup:');
    });

    test('a folder holding two backups is a usage error naming the folder and both', async () => {
      await using backups = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      const record = await verifiedBackupOf(target, backups.path);
      const copy = await copyBackupAs(record, backups.path, 'second');

      const attempt = restore({ targetUrl: target.url, from: backups.path, backup: 'none' });

      await expect(attempt).rejects.toThrow(UsageError);
      await expect(attempt).rejects.toThrow(
        `${backups.path} holds 2 backups; give one of them with --from: `,
      );
      const message = await attempt.catch((error: Error) => error.message);
      expect(message).toContain(record.path.slice(backups.path.length + 1));
      expect(message).toContain(copy.slice(backups.path.length + 1));
    });

    test('a backup without its manifest is refused before anything is taken', async () => {
      await using backups = await createTemporaryFolder();
      await using fresh = await createTemporaryFolder();
      await using target = await createBackupTarget(engine);
      const record = await verifiedBackupOf(target, backups.path);
      await rename(record.manifestPath, `${record.manifestPath}.moved`);

      const result = await restore({
        ...toolImageOf(engine),
        targetUrl: target.url,
        from: record.path,
        backup: backupStepForApply({ dir: fresh.path, logger: silentLogger, ...toolImageOf(engine) }),
      });

      expect(result).toMatchObject({
        outcome: 'refused',
        refusal: {
          reason: 'source',
          message: `no manifest beside the backup: ${record.manifestPath}: nothing restored`,
        },
      });
      expect(await readdir(fresh.path)).toEqual([]);
    });
  },
  SERVER_ENGINES,
);

test('a folder holding no backup is a usage error naming the folder', async () => {
  await using empty = await createTemporaryFolder();
  await expect(
    restore({ targetUrl: 'postgres://127.0.0.1:5432/app', from: empty.path, backup: 'none' }),
  ).rejects.toThrow(`${empty.path} holds no backup: no *.manifest.json with its backup file beside it`);
});

test('a backup path that does not exist is a usage error naming the path it looked at', async () => {
  await using folder = await createTemporaryFolder();
  await expect(
    restore({
      targetUrl: 'postgres://127.0.0.1:5432/app',
      from: 'nowhere.dump',
      cwd: folder.path,
      backup: 'none',
    }),
  ).rejects.toThrow(`no backup file or folder at ${join(folder.path, 'nowhere.dump')}: nothing restored`);
});

test.runIf(SERVER_ENGINES.includes('postgres') && SERVER_ENGINES.includes('mariadb'))(
  'a Postgres backup is refused for a MariaDB target, which stays untouched',
  async () => {
    await using backups = await createTemporaryFolder();
    await using source = await createBackupTarget('postgres');
    const record = await verifiedBackupOf(source, backups.path);
    await using target = await createBackupTarget('mariadb');
    await sql`delete from posts`.execute(target.db);

    const result = await restore({ targetUrl: target.url, from: record.path, backup: 'none' });

    expect(result).toMatchObject({
      outcome: 'refused',
      refusal: {
        reason: 'engine',
        message: 'the backup is of a postgres database, the target is mysql: nothing restored',
      },
    });
    expect((await target.read()).rowCounts).toMatchObject({ posts: 0 });
  },
);
