import { resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_MIGRATION_TABLES } from '../../src/core/flows/check/run-check.ts';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import type { Migration } from '../../src/core/parts/migrations/migration.ts';
import { createSnapshotter } from '../../src/core/parts/schema/create-snapshotter.ts';
import { inKyselyOrder, readAppliedMigrations } from '../../src/core/parts/target/applied-migrations.ts';
import { inspectTarget } from '../../src/core/parts/target/inspect-target.ts';
import { withReadOnlySession } from '../../src/core/parts/target/read-only-target.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { closedLoopbackPort, startSilentServer } from '../cli/loopback-server.ts';
import { createTargetDatabase } from './target-database.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../migrations-example');
const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

function inspect(url: string, migrations: readonly Migration[], throwaway: ThrowawayDatabase) {
  return inspectTarget({
    targetUrl: url,
    migrations,
    throwaway,
    excludeTables: DEFAULT_MIGRATION_TABLES,
    logger: silentLogger,
  });
}

test('applied migrations sort as Kysely sorts them: by when they ran, then by name', () => {
  expect(
    inKyselyOrder([
      { name: '0003_c', timestamp: '2024-01-02T00:00:00.000Z' },
      { name: '0002_b', timestamp: '2024-01-01T00:00:00.000Z' },
      { name: '0001_a', timestamp: '2024-01-01T00:00:00.000Z' },
      { name: '0000_hotfix', timestamp: '2024-03-01T00:00:00.000Z' },
    ]),
  ).toEqual(['0001_a', '0002_b', '0003_c', '0000_hotfix']);
});

describeEachEngine(
  'the target database, read only',
  (engine: TestEngine) => {
    let migrations: Migration[];
    let names: string[];
    let throwaway: ThrowawayDatabase;

    beforeAll(async () => {
      migrations = await loadMigrations({ path: EXAMPLE, dialect: dialectOf(engine) });
      names = migrations.map((migration) => migration.name);
      throwaway = await openTestThrowaway(engine);
    });
    afterAll(async () => {
      await throwaway?.[Symbol.asyncDispose]();
    });

    test('lists what the target applied and what is pending, and finds no drift when it matches its migrations', async () => {
      await using target = await createTargetDatabase(engine);
      await target.migrateTo(migrations, names[2]!);
      const status = await inspect(target.url, migrations, throwaway);
      expect(status.error).toBeUndefined();
      expect(status.applied).toEqual(names.slice(0, 3));
      expect(status.pending).toEqual(names.slice(3));
      expect(status.unknown).toEqual([]);
      expect(status.drift).toEqual([]);
    });

    test('a target without Kysely’s migration table has applied nothing: every migration is pending', async () => {
      await using target = await createTargetDatabase(engine);
      const status = await inspect(target.url, migrations, throwaway);
      expect(status.applied).toEqual([]);
      expect(status.pending).toEqual(names);
      expect(status.drift).toEqual([]);
    });

    test('applied migrations come in Kysely’s order (by when they ran), and one the folder lacks is unknown', async () => {
      await using target = await createTargetDatabase(engine);
      await target.migrateTo(migrations, names[0]!);
      // A hotfix applied from another branch later, whose name sorts first.
      await sql`insert into kysely_migration (name, timestamp) values (${'2023_12_24_hotfix'}, ${'2099-01-01T00:00:00.000Z'})`.execute(
        target.db,
      );
      const status = await inspect(target.url, migrations, throwaway);
      expect(status.applied).toEqual([names[0], '2023_12_24_hotfix']);
      expect(status.unknown).toEqual(['2023_12_24_hotfix']);
      expect(status.pending).toEqual(names.slice(1));
    });

    test('a column added and an index dropped by hand are drift, in words', async () => {
      await using target = await createTargetDatabase(engine);
      await target.migrateTo(migrations, names[1]!);
      await sql`alter table users add column nickname varchar(40)`.execute(target.db);
      const onPosts = dialectOf(engine) === 'mysql' ? sql` on posts` : sql``;
      await sql`drop index posts_published_at_idx${onPosts}`.execute(target.db);
      const status = await inspect(target.url, migrations, throwaway);
      expect(status.drift).toEqual([
        'column users.nickname was added on the target',
        'index posts_published_at_idx on posts was removed on the target',
      ]);
    });

    test('the target is never written: its session refuses writes, and inspecting leaves it as it was', async () => {
      await using target = await createTargetDatabase(engine);
      await target.migrateTo(migrations, names[0]!);
      const snapshotter = createSnapshotter(dialectOf(engine));
      const before = await snapshotter.take(target.db, { excludeTables: [] });
      const rowsBefore = await sql`select * from kysely_migration`.execute(target.db);

      await inspect(target.url, migrations, throwaway);
      await expect(
        withReadOnlySession(parseConnectionUrl(target.url), (session) =>
          sql`insert into users (email) values ('a@example.com')`.execute(session.db),
        ),
      ).rejects.toThrow(/read.only/i);

      expect(await snapshotter.take(target.db, { excludeTables: [] })).toEqual(before);
      expect((await sql`select * from kysely_migration`.execute(target.db)).rows).toEqual(rowsBefore.rows);
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from users`.execute(target.db);
      expect(Number(rows[0]?.n)).toBe(0);
    });

    test('Kysely’s migration table may have another name', async () => {
      await using target = await createTargetDatabase(engine);
      await target.migrateTo(migrations, names[0]!, 'schema_history');
      const read = (table?: string) =>
        withReadOnlySession(parseConnectionUrl(target.url), (session) =>
          readAppliedMigrations(session.db, session.dialect, table),
        );
      expect(await read('schema_history')).toEqual([names[0]]);
      expect(await read()).toEqual([]);
    });

    test('a target of the other dialect is an error in the status, not a crash', async () => {
      const other =
        dialectOf(engine) === 'mysql'
          ? 'postgres://postgres@127.0.0.1:5432/x'
          : 'mysql://root@127.0.0.1:3306/x';
      const status = await inspect(other, migrations, throwaway);
      expect(status.error).toMatch(/the target is a \w+ database but the migrations are checked as/);
    });
  },
  SERVER_ENGINES,
);

describe('a target that cannot be reached or logged in to', () => {
  const migrations: Migration[] = [];
  let throwaway: ThrowawayDatabase;
  beforeAll(async () => {
    throwaway = await openTestThrowaway(AVAILABLE_ENGINES.includes('postgres') ? 'postgres' : 'pglite');
  });
  afterAll(async () => {
    await throwaway?.[Symbol.asyncDispose]();
  });

  test.runIf(AVAILABLE_ENGINES.includes('postgres'))(
    'an unknown user is an error that never shows the password',
    async () => {
      const status = await inspect(
        'postgres://nosuchuser:sup3rsecret@127.0.0.1:5432/app',
        migrations,
        throwaway,
      );
      expect(status.error).toMatch(/refused user nosuchuser|nosuchuser/);
      expect(JSON.stringify(status)).not.toContain('sup3rsecret');
      expect(status.database).toBe('postgres://127.0.0.1:5432/app');
    },
  );

  test('a closed port is an error in the status', async () => {
    const port = await closedLoopbackPort();
    const status = await inspect(`postgres://u:sup3rsecret@127.0.0.1:${port}/app`, migrations, throwaway);
    expect(status.error).toBe(`nothing is listening at postgres://127.0.0.1:${port}/app: connection refused`);
    expect(status).toMatchObject({ applied: [], pending: [], unknown: [] });
  });

  test('a server that never answers is an error after the connect timeout', async () => {
    await using silent = await startSilentServer();
    const status = await inspectTarget({
      targetUrl: `postgres://u:sup3rsecret@127.0.0.1:${silent.port}/app`,
      migrations,
      throwaway,
      excludeTables: DEFAULT_MIGRATION_TABLES,
      logger: silentLogger,
      connectTimeoutMs: 500,
    });
    expect(status.error).toBe(`postgres://127.0.0.1:${silent.port}/app did not answer within 0.5 s`);
  });
});

describe.runIf(AVAILABLE_ENGINES.includes('pglite') && AVAILABLE_ENGINES.includes('postgres'))(
  'the embedded throwaway database against a PostgreSQL server target',
  () => {
    test('a target that matches its migrations shows no drift, although the engines differ in version', async () => {
      const migrations = await loadMigrations({ path: EXAMPLE, dialect: 'postgres' });
      await using throwaway = await openTestThrowaway('pglite');
      await using target = await createTargetDatabase('postgres');
      await target.migrateTo(migrations, migrations.at(-1)!.name);
      const status = await inspect(target.url, migrations, throwaway);
      expect(status).toMatchObject({ pending: [], unknown: [], drift: [] });
    });
  },
);
