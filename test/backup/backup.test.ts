import { readFile, stat, truncate } from 'node:fs/promises';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { digestFile, writeManifest } from '../../src/core/parts/backup/backup-files.ts';
import { restoreBackup } from '../../src/core/parts/backup/restore-backup.ts';
import { takeBackup } from '../../src/core/parts/backup/take-backup.ts';
import { takeVerifiedBackup } from '../../src/core/parts/backup/take-verified-backup.ts';
import { verifyBackup } from '../../src/core/parts/backup/verify-backup.ts';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import type { Logger } from '../../src/core/model/logger.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { diffSnapshots } from '../../src/core/parts/schema/diff.ts';
import { closedLoopbackPort, startSilentServer } from '../cli/loopback-server.ts';
import { describeWithDocker } from '../support/docker.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { createBackupTarget, dumpToolOf, toolImageOf } from './backup-target.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');
const PASSWORD = 'Backup-Secret-7f3a9c';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migration-gate-backup-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A logger that keeps every line, to prove no secret reaches it. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(message),
    warn: (message) => lines.push(message),
    debug: (message) => lines.push(message),
  };
}

describeEachEngine(
  'backup before apply',
  (engine: TestEngine) => {
    test('takes a backup, restores it into a scratch database and finds it equal to the target', async () => {
      await using target = await createBackupTarget(engine);
      const result = await takeVerifiedBackup(target.url, {
        dir,
        logger: silentLogger,
        ...toolImageOf(engine),
      });
      if (!result.ok) throw new Error(`${result.message}\n${result.details.join('\n')}`);
      const { record } = result;
      expect(record).toMatchObject({ verified: true, tableCount: 3, rowCount: 9 });
      expect(record.path).toContain(target.name);
      expect(record.path.endsWith(dialectOf(engine) === 'postgres' ? '.dump' : '.sql')).toBe(true);
      expect(record.verifiedOn).toMatch(/^scratch database migration_gate_/);
      expect(await digestFile(record.path)).toEqual({ sha256: record.sha256, sizeBytes: record.sizeBytes });
      for (const file of [record.path, record.manifestPath]) {
        expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
      }
      const manifest = JSON.parse(await readFile(record.manifestPath, 'utf8'));
      const counts =
        dialectOf(engine) === 'postgres'
          ? { 'public.authors': 3, 'public.posts': 4, 'public.tags': 2 }
          : { authors: 3, posts: 4, tags: 2 };
      expect(manifest).toMatchObject({
        format: 1,
        engine: dialectOf(engine) === 'postgres' ? 'postgres' : 'mysql',
        database: target.name,
        rowCounts: counts,
      });
      expect(manifest.verifiedAt).toEqual(expect.any(String));
      expect(manifest.schemaSnapshotSha256).toMatch(/^[0-9a-f]{64}$/);
      // The scratch database is gone.
      const { db } = await openDatabase(parseConnectionUrl(serverUrlOf(engine)!));
      try {
        const listed =
          dialectOf(engine) === 'postgres'
            ? await sql<{ name: string }>`select datname as name from pg_database`.execute(db)
            : await sql<{
                name: string;
              }>`select schema_name as name from information_schema.schemata`.execute(db);
        expect(listed.rows.map((row) => row.name)).not.toContain(record.verifiedOn.split(' ')[2]);
      } finally {
        await db.destroy();
      }
    });

    test('a CHECK the server deparses differently once restored still verifies, and restores without differences', async () => {
      await using target = await createBackupTarget(engine);
      // Postgres reads `in (...)` on a varchar back with other casts after a dump and restore.
      await sql`alter table authors add column role varchar(20) not null default 'member' check (role in ('member', 'editor', 'admin'))`.execute(
        target.db,
      );
      const result = await takeVerifiedBackup(target.url, {
        dir,
        logger: silentLogger,
        ...toolImageOf(engine),
      });
      if (!result.ok) throw new Error(`${result.message}\n${result.details.join('\n')}`);

      const restored = await restoreBackup(result.record.path, target.url, {
        logger: silentLogger,
        ...toolImageOf(engine),
      });
      expect(restored).toMatchObject({ ok: true, differences: [] });
    });

    test('a truncated backup file fails verification with a clear message', async () => {
      await using target = await createBackupTarget(engine);
      const taken = await takeBackup(target.url, dir, { logger: silentLogger, ...toolImageOf(engine) });
      if (!taken.ok) throw new Error(taken.message);
      const { backup } = taken;
      await truncate(backup.path, Math.floor(backup.manifest.sizeBytes / 2));

      const changed = await verifyBackup(backup, {
        serverUrl: target.url,
        logger: silentLogger,
        ...toolImageOf(engine),
      });
      expect(changed).toMatchObject({ ok: false });
      if (changed.ok) return;
      expect(changed.message).toBe(`the backup file ${backup.path} changed since it was taken`);
      expect(changed.details[0]).toMatch(
        /^it has \d+ bytes and sha256 [0-9a-f]{12}…, the manifest says \d+ bytes/,
      );

      // Even when the manifest is rewritten to match, the truncated file does not pass.
      const digest = await digestFile(backup.path);
      const manifest = { ...backup.manifest, ...digest };
      await writeManifest(backup.manifestPath, manifest);
      const broken = await verifyBackup(
        { ...backup, manifest },
        { serverUrl: target.url, logger: silentLogger, ...toolImageOf(engine) },
      );
      expect(broken).toMatchObject({ ok: false });
      if (broken.ok) return;
      expect(broken.message).toMatch(
        /^the backup (does not restore: \S+ failed on scratch database|restored into scratch database .* differs from the target)/,
      );
      expect(broken.details.length).toBeGreaterThan(0);
    });

    test('a target changed between the dump and the check fails verification, in words', async () => {
      await using target = await createBackupTarget(engine);
      const taken = await takeBackup(target.url, dir, { logger: silentLogger, ...toolImageOf(engine) });
      if (!taken.ok) throw new Error(taken.message);
      // What was read of the target says one more post and one more index than the file holds.
      const manifest = {
        ...taken.backup.manifest,
        rowCounts: {
          ...taken.backup.manifest.rowCounts,
          [dialectOf(engine) === 'postgres' ? 'public.posts' : 'posts']: 5,
        },
      };
      const result = await verifyBackup(
        { ...taken.backup, manifest },
        { serverUrl: target.url, logger: silentLogger, ...toolImageOf(engine) },
      );
      expect(result).toMatchObject({
        ok: false,
        details: [
          `rows: table ${dialectOf(engine) === 'postgres' ? 'public.posts' : 'posts'} has 5 rows in the target, 4 rows restored`,
        ],
      });
    });

    test('a dump that does not finish leaves no file behind', async () => {
      await using target = await createBackupTarget(engine);
      const result = await takeBackup(target.url, dir, {
        logger: silentLogger,
        toolTimeoutMs: 1,
        ...toolImageOf(engine),
      });
      expect(result).toEqual({
        ok: false,
        message: `backup of ${parseConnectionUrl(target.url).display} failed: ${dumpToolOf(engine)} did not finish within 1 ms`,
        details: [],
      });
      expect(await readdir(dir)).toEqual([]);
    });

    test('an unreachable target fails in bounded time, without the password', async () => {
      const scheme = dialectOf(engine) === 'postgres' ? 'postgres' : 'mysql';
      const port = await closedLoopbackPort();
      const refused = await takeVerifiedBackup(`${scheme}://someone:${PASSWORD}@127.0.0.1:${port}/app`, {
        dir,
        logger: silentLogger,
      });
      expect(refused).toEqual({
        ok: false,
        message: `cannot back up the target: nothing is listening at ${scheme}://127.0.0.1:${port}/app: connection refused`,
        details: [],
      });

      await using silent = await startSilentServer();
      const started = Date.now();
      const hung = await takeVerifiedBackup(`${scheme}://someone:${PASSWORD}@127.0.0.1:${silent.port}/app`, {
        dir,
        logger: silentLogger,
        connectTimeoutMs: 1_500,
      });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(hung).toMatchObject({
        ok: false,
        message: expect.stringMatching(/did not answer within 1.5 s/),
      });
      expect(JSON.stringify(hung)).not.toContain(PASSWORD);
    });

    test('restore puts a changed target back: schema and row counts', async () => {
      await using target = await createBackupTarget(engine);
      const before = await target.read();
      const result = await takeVerifiedBackup(target.url, {
        dir,
        logger: silentLogger,
        ...toolImageOf(engine),
      });
      if (!result.ok) throw new Error(result.message);

      await sql`drop table tags`.execute(target.db);
      await sql`delete from posts where id > 1`.execute(target.db);
      await sql`insert into authors (id, name) values (4, 'barbara')`.execute(target.db);
      const changed = await target.read();
      expect(diffSnapshots(before.schema, changed.schema).changes.length).toBeGreaterThan(0);

      const restored = await restoreBackup(result.record.path, target.url, {
        logger: silentLogger,
        ...toolImageOf(engine),
      });
      expect(restored).toMatchObject({ ok: true, differences: [] });
      const after = await target.read();
      expect(diffSnapshots(before.schema, after.schema).changes).toEqual([]);
      expect(after.rowCounts).toEqual(before.rowCounts);
    });

    test('restore refuses a file that no longer matches its manifest', async () => {
      await using target = await createBackupTarget(engine);
      const result = await takeVerifiedBackup(target.url, {
        dir,
        logger: silentLogger,
        ...toolImageOf(engine),
      });
      if (!result.ok) throw new Error(result.message);
      await truncate(result.record.path, 10);
      const restored = await restoreBackup(result.record.path, target.url, {
        logger: silentLogger,
        ...toolImageOf(engine),
      });
      expect(restored).toEqual({
        ok: false,
        message: `the backup file ${result.record.path} does not match its manifest (sha256 differs): it changed`,
        details: [],
      });
      expect((await target.read()).rowCounts).toMatchObject(
        dialectOf(engine) === 'postgres' ? { 'public.posts': 4 } : { posts: 4 },
      );
    });

    test('a user with a password: the backup verifies, and neither manifest, record nor log holds the password', async () => {
      const user = `mg_backup_${Date.now().toString(36)}`;
      const { db: admin } = await openDatabase(parseConnectionUrl(serverUrlOf(engine)!));
      try {
        if (dialectOf(engine) === 'postgres') {
          await sql`create role ${sql.id(user)} login createdb password ${sql.lit(PASSWORD)}`.execute(admin);
          await sql`grant pg_read_all_data to ${sql.id(user)}`.execute(admin);
        } else {
          await sql`create user ${sql.lit(user)}@'%' identified by ${sql.lit(PASSWORD)}`.execute(admin);
          await sql`grant all privileges on *.* to ${sql.lit(user)}@'%'`.execute(admin);
        }
        await using target = await createBackupTarget(engine, { name: user, password: PASSWORD });
        const logger = recordingLogger();
        const result = await takeVerifiedBackup(target.url, { dir, logger, ...toolImageOf(engine) });
        if (!result.ok) throw new Error(`${result.message}\n${result.details.join('\n')}`);
        const manifest = await readFile(result.record.manifestPath, 'utf8');
        for (const text of [manifest, JSON.stringify(result), logger.lines.join('\n')]) {
          expect(text).not.toContain(PASSWORD);
          expect(text).not.toContain(`${user}:`);
        }
        const server = new URL(serverUrlOf(engine)!);
        expect(JSON.parse(manifest).target).toBe(
          `${server.protocol}//${server.hostname}:${server.port || (dialectOf(engine) === 'postgres' ? 5432 : 3306)}/${target.name}`,
        );
      } finally {
        if (dialectOf(engine) === 'postgres') await sql`drop role if exists ${sql.id(user)}`.execute(admin);
        else await sql`drop user if exists ${sql.lit(user)}@'%'`.execute(admin);
        await admin.destroy();
      }
    });
  },
  SERVER_ENGINES,
);

for (const engine of SERVER_ENGINES) {
  const { image } = toolImageOf(engine);
  describeWithDocker(`backup with the dump tool in a container [${engine}: ${image}]`, () => {
    test('dumps, verifies and restores with the programs of the server image', async () => {
      await using target = await createBackupTarget(engine);
      const before = await target.read();
      const result = await takeVerifiedBackup(target.url, {
        dir,
        logger: silentLogger,
        placement: 'container',
        image,
      });
      if (!result.ok) throw new Error(`${result.message}\n${result.details.join('\n')}`);
      expect(result.record.tool).toMatchObject({ where: 'container', image });
      expect(((await stat(result.record.path)).mode & 0o777).toString(8)).toBe('600');
      await sql`delete from posts`.execute(target.db);
      const restored = await restoreBackup(result.record.path, target.url, {
        logger: silentLogger,
        placement: 'container',
        image,
      });
      expect(restored).toMatchObject({ ok: true, differences: [] });
      expect((await target.read()).rowCounts).toEqual(before.rowCounts);
    });

    test('verifies in a container of the server image, not on the target server', async () => {
      await using target = await createBackupTarget(engine);
      const result = await takeVerifiedBackup(target.url, {
        dir,
        logger: silentLogger,
        verifyIn: 'container',
        verifyImage: image,
        image,
      });
      if (!result.ok) throw new Error(`${result.message}\n${result.details.join('\n')}`);
      expect(result.record.verifiedOn).toMatch(
        new RegExp(`^scratch database migration_gate_\\w+ on container ${image}`),
      );
      expect(result.record.verifiedOn).not.toMatch(/:\/\/[^/]*@/);
    });
  });
}
