import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, isServer } from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { applyTo, checksumRows, createMigrationFolder, kyselyRows, sqlMigration } from './apply-fixture.ts';

describeEachEngine(
  'apply, Postgres specifics',
  (engine) => {
    test('runs a migration that opted out of the transaction outside one (CREATE INDEX CONCURRENTLY)', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_events.sql': sqlMigration(
          'create table events (id int, kind text);',
          'drop table events;',
        ),
        '0002_index_events.ts': [
          "import { sql, type Kysely } from 'kysely';",
          'export const transaction = false;',
          'export async function up(db: Kysely<any>) {',
          '  await sql`create index concurrently idx_events_kind on events (kind)`.execute(db);',
          '}',
          'export async function down(db: Kysely<any>) {',
          '  await sql`drop index concurrently idx_events_kind`.execute(db);',
          '}',
          '',
        ].join('\n'),
      });
      await using target = await createTargetDatabase(engine);

      const result = await applyTo(engine, target.url, folder);

      expect(result).toMatchObject({ ok: true, applied: ['0001_create_events', '0002_index_events'] });
      expect(await kyselyRows(target.db)).toEqual(['0001_create_events', '0002_index_events']);
    });

    test('runs a migration the transaction refuses outside it: CREATE INDEX CONCURRENTLY undeclared, or its own db.transaction()', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_events.sql': sqlMigration(
          'create table events (id int, kind text);',
          'drop table events;',
        ),
        '0002_index_events.ts': [
          "import { sql, type Kysely } from 'kysely';",
          'export async function up(db: Kysely<any>) {',
          '  await sql`create index concurrently idx_events_kind on events (kind)`.execute(db);',
          '}',
          'export async function down(db: Kysely<any>) {',
          '  await sql`drop index concurrently idx_events_kind`.execute(db);',
          '}',
          '',
        ].join('\n'),
        '0003_seed_events.ts': [
          'import type { Kysely } from "kysely";',
          'export async function up(db: Kysely<any>) {',
          '  await db.transaction().execute(async (trx) => {',
          "    await trx.insertInto('events').values({ id: 1, kind: 'signup' }).execute();",
          '  });',
          '}',
          'export async function down(db: Kysely<any>) {',
          "  await db.deleteFrom('events').execute();",
          '}',
          '',
        ].join('\n'),
      });
      await using target = await createTargetDatabase(engine);

      const result = await applyTo(engine, target.url, folder);

      expect(result).toMatchObject({
        ok: true,
        applied: ['0001_create_events', '0002_index_events', '0003_seed_events'],
      });
      expect(await kyselyRows(target.db)).toEqual([
        '0001_create_events',
        '0002_index_events',
        '0003_seed_events',
      ]);
      const { rows } = await sql<{ kind: string }>`select kind from events`.execute(target.db);
      expect(rows).toEqual([{ kind: 'signup' }]);
    });

    test('transaction all: a failure in the third migration of the run rolls back the two before it too', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_items.sql': sqlMigration(
          'create table items (id int primary key, code int);',
          'drop table items;',
        ),
      });
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      // Passes on the empty throwaway, fails on the target's data.
      await sql`insert into items (id, code) values (1, 7), (2, 7)`.execute(target.db);
      await folder.write({
        '0002_create_tags.sql': sqlMigration('create table tags (id int);', 'drop table tags;'),
        '0003_create_log.sql': sqlMigration('create table log (id int);', 'drop table log;'),
        '0004_unique_codes.sql': sqlMigration(
          'create unique index uq_items_code on items (code);',
          'drop index uq_items_code;',
        ),
      });

      const result = await applyTo(engine, target.url, folder, {
        requireReversible: false,
        transaction: 'all',
      });

      expect(result).toMatchObject({
        ok: false,
        outcome: 'failed',
        applied: [],
        current: '0001_create_items',
        pendingCount: 3,
        failure: { migration: '0004_unique_codes', transactional: true, ranStatements: [] },
      });
      expect(result.failure?.state).toBe(
        'the whole run was one transaction and was rolled back: nothing of it is applied, the target is still at 0001_create_items',
      );
      expect(result.failure?.recovery).toContain('nothing of this run needs undoing');
      expect(await kyselyRows(target.db)).toEqual(['0001_create_items']);
      expect(await checksumRows(target.db)).toHaveLength(1);
      const { rows } = await sql`select 1 from pg_tables where tablename in ('tags', 'log')`.execute(
        target.db,
      );
      expect(rows).toEqual([]);
    });

    test('transaction all: every pending migration commits together', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_items.sql': sqlMigration(
          'create table items (id int primary key);',
          'drop table items;',
        ),
        '0002_create_tags.sql': sqlMigration('create table tags (id int);', 'drop table tags;'),
      });
      await using target = await createTargetDatabase(engine);

      const result = await applyTo(engine, target.url, folder, { transaction: 'all' });

      expect(result).toMatchObject({ ok: true, applied: ['0001_create_items', '0002_create_tags'] });
      expect(await kyselyRows(target.db)).toEqual(['0001_create_items', '0002_create_tags']);
      expect(await checksumRows(target.db)).toHaveLength(2);
    });

    test('transaction all refuses a pending migration that opted out of transactions, naming its file', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_index.sql': `-- migrate:up transaction:false
create index concurrently idx_x on pg_class (relname);

-- migrate:down
select 1;
`,
      });
      await using target = await createTargetDatabase(engine);

      await expect(applyTo(engine, target.url, folder, { transaction: 'all' })).rejects.toMatchObject({
        name: 'UsageError',
        message: expect.stringContaining('transaction all cannot hold 0001_index'),
        file: expect.stringContaining('0001_index.sql'),
      });
      expect(await kyselyRows(target.db).catch(() => [])).toEqual([]);
    });

    test('bounds each statement of a migration by the statement timeout', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_slow.sql': sqlMigration('select pg_sleep(3);', 'select 1;'),
      });
      await using target = await createTargetDatabase(engine);

      const result = await applyTo(engine, target.url, folder, {
        requireReversible: false,
        limits: { statementTimeoutMs: 50 },
      });

      expect(result).toMatchObject({ ok: false, failure: { migration: '0001_slow', transactional: true } });
      expect(result.failure?.message).toMatch(/statement timeout/);
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres' && isServer(engine)),
);

describeEachEngine(
  'apply, MySQL and MariaDB specifics',
  (engine) => {
    test('transaction all is refused: DDL commits statement by statement there', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({ '0001_t.sql': sqlMigration('create table t (id int);', 'drop table t;') });
      await using target = await createTargetDatabase(engine);

      await expect(applyTo(engine, target.url, folder, { transaction: 'all' })).rejects.toThrow(
        'transaction all needs transactional DDL',
      );
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'mysql'),
);
