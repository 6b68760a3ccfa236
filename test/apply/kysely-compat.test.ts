import { Migrator, sql } from 'kysely';
import type { Kysely, MigrationResultSet } from 'kysely';
import { expect, test } from 'vitest';
import { ensureChecksumTable } from '../../src/core/parts/target/checksum-table.ts';
import { migrateTarget } from '../../src/core/parts/target/target-migrator.ts';
import { withMigrationLock } from '../../src/core/parts/target/kysely-lock.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import type { Migration } from '../../src/core/parts/migrations/migration.ts';
import { StatementRecorder } from '../../src/core/parts/plan/statement-recorder.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { applyTo, createMigrationFolder, threeMigrations } from './apply-fixture.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

/** Kysely's own Migrator over `migrations`, on Kysely's tables named after `table`. */
function kyselyMigrator(db: Kysely<any>, migrations: readonly Migration[], table?: string): Migrator {
  return new Migrator({
    db,
    ...(table === undefined ? {} : { migrationTableName: table, migrationLockTableName: `${table}_lock` }),
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          migrations.map((m) => [m.name, { up: m.up, ...(m.down ? { down: m.down } : {}) }]),
        ),
    },
  });
}

/** Whether a session of the target's server is waiting for Kysely's migration lock now. */
async function someoneWaitsForTheLock(engine: TestEngine, db: Kysely<any>): Promise<boolean> {
  const { rows } =
    dialectOf(engine) === 'postgres'
      ? await sql<{ waiting: number }>`select count(*)::int as waiting from pg_stat_activity
          where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()`.execute(
          db,
        )
      : await sql<{ waiting: number }>`select count(*) as waiting from information_schema.processlist
          where state = 'User lock' and info like '%get_lock%'`.execute(db);
  return Number(rows[0]?.waiting ?? 0) > 0;
}

describeEachEngine(
  "apply, side by side with Kysely's Migrator",
  (engine) => {
    for (const table of [undefined, 'app_migration']) {
      test(`a plain Migrator run after apply finds everything applied and runs nothing (table ${table ?? 'default'})`, async () => {
        await using folder = await createMigrationFolder();
        await folder.write(threeMigrations(engine));
        await using target = await createTargetDatabase(engine);

        const result = await applyTo(
          engine,
          target.url,
          folder,
          table === undefined ? {} : { migrationTable: table },
        );
        expect(result).toMatchObject({ ok: true, pendingCount: 0 });
        expect(result.applied).toHaveLength(3);

        const migrations = await loadMigrations({ path: folder.path, dialect: dialectOf(engine) });
        const migrator = kyselyMigrator(target.db, migrations, table);
        const latest = await migrator.migrateToLatest();
        expect(latest.error).toBeUndefined();
        expect(latest.results).toEqual([]);
        const seen = await migrator.getMigrations();
        expect(seen.map((m) => [m.name, m.executedAt instanceof Date])).toEqual(
          result.applied.map((name) => [name, true]),
        );
      });
    }

    test('a Kysely Migrator started while apply holds the lock waits for it, then finds nothing to run', async () => {
      await using target = await createTargetDatabase(engine);
      const recorder = new StatementRecorder();
      const { db } = await openDatabase(parseConnectionUrl(target.url), {
        log: (event) => recorder.observe(event),
      });
      let entered!: () => void;
      const inside = new Promise<void>((done) => (entered = done));
      let letGo!: () => void;
      const released = new Promise<void>((done) => (letGo = done));
      let ours: Promise<unknown> | undefined;
      try {
        await ensureChecksumTable(db, dialectOf(engine));
        const migrations = [
          testMigration('0001_first', async (trx) => {
            entered();
            await released;
            await sql`create table first_table (id int)`.execute(trx);
          }),
          testMigration('0002_second', async (trx) => {
            await sql`create table second_table (id int)`.execute(trx);
          }),
        ];
        const run = withMigrationLock(
          db,
          dialectOf(engine),
          { waitMs: 0, logger: silentLogger },
          async (lock) =>
            migrateTarget(
              {
                db,
                dialect: dialectOf(engine),
                mariadb: dialectOf(engine) === 'mysql',
                migrations,
                recorder,
                limits: {},
                sqlChecksums: new Map(),
                appliedBy: 'test',
              },
              'up',
              migrations,
              await lock.claim(),
            ),
        ).then((locked) => {
          if (!locked.ok) throw new Error(`the lock was held by ${locked.holder}`);
          return locked.value;
        });
        ours = run;
        await inside;

        // Kysely's Migrator runs the same names with ups of its own, which never wait.
        const plain = migrations.map((m) => ({ ...m, up: async () => {} }));
        let kyselyDone = false;
        const theirs = kyselyMigrator(target.db, plain)
          .migrateToLatest()
          .finally(() => (kyselyDone = true));
        while (!kyselyDone && !(await someoneWaitsForTheLock(engine, target.db)))
          await new Promise((retry) => setTimeout(retry, 20));
        expect(kyselyDone).toBe(false);

        letGo();
        const done = await run;
        const resultSet: MigrationResultSet = await theirs;
        expect(done.failed).toBeUndefined();
        expect(done.done.map((step) => step.name)).toEqual(['0001_first', '0002_second']);
        expect(resultSet).toEqual({ results: [] });
      } finally {
        letGo();
        await ours?.catch(() => {});
        await db.destroy();
      }
    });
  },
  SERVER_ENGINES,
);

/** An in-memory migration whose up the test controls. */
function testMigration(name: string, up: (db: Kysely<any>) => Promise<void>): Migration {
  return {
    name,
    source: { format: 'module', path: `/virtual/${name}.ts` },
    up,
    down: undefined,
    irreversible: undefined,
    transactional: true,
    empty: { up: false, down: false },
    checksum: name,
    acknowledged: new Map(),
  };
}
