import { Migrator, sql } from 'kysely';
import type { Kysely, Migration as KyselyMigration } from 'kysely';
import { describe, expect, test } from 'vitest';
import { AVAILABLE_ENGINES, dialectOf, isServer } from '../support/engines.ts';
import { checksumRows, createMigrationFolder, sqlMigration } from '../apply/apply-fixture.ts';
import { spawnCli } from '../cli/spawn-cli.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { appliedNames, lockIsHeld, progressNames, sleepOf, waitUntilRunning } from './fault-target.ts';

// Kysely's own Migrator and a CLI apply on the same target at the same time, each way round:
// they exclude each other through Kysely's lock, and the bookkeeping stays whole.

/** Every server engine: Kysely's lock is a server's. */
const SERVER_ENGINES = AVAILABLE_ENGINES.filter(isServer);

const NAMES = ['0001_create_items', '0002_log_items'] as const;

/** Kysely's Migrator with ups of its own that would fail if run on tables already made. */
function kyselyMigrator(db: Kysely<any>, firstUp: (db: Kysely<any>) => Promise<void>): Migrator {
  const migrations: Record<string, KyselyMigration> = {
    [NAMES[0]]: { up: firstUp },
    [NAMES[1]]: { up: async (trx) => void (await sql`create table item_log (id int)`.execute(trx)) },
  };
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

describe.each(SERVER_ENGINES)("Kysely's Migrator racing apply [%s]", (engine) => {
  /** The CLI's migrations, of the same names; the first sleeps `seconds` on the target. */
  async function folderWith(seconds: number) {
    const folder = await createMigrationFolder();
    await folder.write({
      [`${NAMES[0]}.sql`]: sqlMigration(
        `create table items (id int);\n${sleepOf(engine).statement(seconds)}`,
        'drop table items;',
      ),
      [`${NAMES[1]}.sql`]: sqlMigration('create table item_log (id int);', 'drop table item_log;'),
    });
    return folder;
  }
  const apply = (url: string, path: string) => [
    'apply',
    '--target-url',
    url,
    '--migrations',
    path,
    '--backup',
    'none',
    '--require-reversible',
    'false',
    '--allow-drift',
  ];

  test('started while apply runs, the Migrator waits for the lock, then finds everything applied', async () => {
    await using folder = await folderWith(5);
    await using target = await createTargetDatabase(engine);

    await using cli = spawnCli(apply(target.url, folder.path));
    await waitUntilRunning(engine, target.db, sleepOf(engine).fragment, () => cli.child.exitCode === null);
    const migrator = kyselyMigrator(target.db, async (db) => {
      await sql`create table items (id int)`.execute(db);
    });
    const [exit, theirs] = await Promise.all([cli.exited, migrator.migrateToLatest()]);

    expect(exit.code, exit.stdout + exit.stderr).toBe(0);
    expect(theirs).toEqual({ results: [] });
    expect(await appliedNames(target.db)).toEqual([...NAMES]);
    expect((await checksumRows(target.db)).map((row) => row.name)).toEqual([...NAMES]);
    expect(await progressNames(target.db)).toEqual([]);
    expect(await lockIsHeld(engine, target.db)).toBe(false);
  });

  test('started while the Migrator runs, apply waits naming the holder, then adopts what it applied', async () => {
    await using folder = await folderWith(0);
    await using target = await createTargetDatabase(engine);
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const migrator = kyselyMigrator(target.db, async (db) => {
      entered();
      await released;
      await sql`create table items (id int)`.execute(db);
    });
    const theirs = migrator.migrateToLatest();
    try {
      await inside;
      await using cli = spawnCli([...apply(target.url, folder.path), '--lock-wait', '1min']);
      const [waiting] = await cli.waitForStderr(/waiting for Kysely's migration lock.*/);
      // The Migrator runs on this test's connection, which the tool's connect names after its process.
      expect(waiting).toContain(
        dialectOf(engine) === 'postgres'
          ? `application "migration-gate pid ${process.pid} `
          : `database ${new URL(target.url).pathname.slice(1)}`,
      );
      letGo();
      const exit = await cli.exited;

      expect(exit.code, exit.stdout + exit.stderr).toBe(0);
      expect((await theirs).error).toBeUndefined();
      expect(await appliedNames(target.db)).toEqual([...NAMES]);
      // Recorded as applied by Kysely's Migrator alone, so later runs can guard them.
      expect(await checksumRows(target.db)).toEqual(
        NAMES.map((name) => expect.objectContaining({ name, applied_by: 'adopted' })),
      );
      expect(await lockIsHeld(engine, target.db)).toBe(false);
    } finally {
      letGo();
      await theirs;
    }
  });
});
