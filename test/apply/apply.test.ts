import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { UsageError } from '../../src/core/model/errors.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf } from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import {
  applyTo,
  checksumRows,
  createMigrationFolder,
  kyselyRows,
  sqlMigration,
  threeMigrations,
} from './apply-fixture.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

describeEachEngine(
  'apply',
  (engine) => {
    test('applies every migration to an empty target, records their checksums, and is then up to date', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);

      const result = await applyTo(engine, target.url, folder);

      expect(result).toMatchObject({
        ok: true,
        outcome: 'applied',
        applied: ['0001_create_accounts', '0002_create_orders', '0003_index_orders'],
        pendingCount: 0,
        current: '0003_index_orders',
        adopted: [],
        drift: [],
      });
      expect(result.proof?.ok).toBe(true);
      expect(result.migrations.map((m) => m.statements.map((s) => s.sql))).toEqual([
        ['create table accounts (id int primary key, email varchar(100))'],
        ['create table orders (id int primary key, account_id int)'],
        ['create index idx_orders_account on orders (account_id)'],
      ]);
      expect(await kyselyRows(target.db)).toEqual(result.applied);
      expect(await checksumRows(target.db)).toEqual(
        result.applied.map((name) => ({ name, applied_by: 'migration-gate' })),
      );

      const again = await applyTo(engine, target.url, folder);
      expect(again).toMatchObject({ ok: true, outcome: 'up-to-date', applied: [], pendingCount: 0 });
    });

    test('applies only the pending migrations to a partly migrated target', async () => {
      await using folder = await createMigrationFolder();
      const [first, second, third] = Object.entries(threeMigrations(engine));
      await folder.write(Object.fromEntries([first!, second!]));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);

      await folder.write(Object.fromEntries([third!]));
      const result = await applyTo(engine, target.url, folder);

      expect(result).toMatchObject({
        ok: true,
        applied: ['0003_index_orders'],
        current: '0003_index_orders',
      });
      expect(await kyselyRows(target.db)).toHaveLength(3);
    });

    test('with to, applies the pending migrations up to and including that one, and leaves the rest pending', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);

      const result = await applyTo(engine, target.url, folder, { to: '0002_create_orders' });

      expect(result).toMatchObject({
        ok: true,
        outcome: 'applied',
        applied: ['0001_create_accounts', '0002_create_orders'],
        pendingCount: 1,
        current: '0002_create_orders',
      });
      expect(result.proof?.migrations.map((m) => m.name)).toEqual([
        '0001_create_accounts',
        '0002_create_orders',
      ]);
      expect(await kyselyRows(target.db)).toEqual(['0001_create_accounts', '0002_create_orders']);

      const rest = await applyTo(engine, target.url, folder, { to: '0003_index_orders' });
      expect(rest).toMatchObject({ ok: true, applied: ['0003_index_orders'], pendingCount: 0 });
    });

    test('with to, a name that is applied already or unknown is a usage error naming it, nothing applied', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder, { to: '0001_create_accounts' });

      await expect(applyTo(engine, target.url, folder, { to: '0001_create_accounts' })).rejects.toThrow(
        new UsageError('cannot apply up to 0001_create_accounts: the target has applied it already'),
      );
      await expect(applyTo(engine, target.url, folder, { to: '0009_nothing' })).rejects.toThrow(
        new UsageError('cannot apply up to 0009_nothing: no pending migration of that name'),
      );
      expect(await kyselyRows(target.db)).toEqual(['0001_create_accounts']);
    });

    test("adopts a target Kysely's Migrator migrated alone: records its checksums instead of refusing", async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      const migrations = await loadMigrations({ path: folder.path, dialect: dialectOf(engine) });
      await target.migrateTo(migrations, '0002_create_orders');

      const result = await applyTo(engine, target.url, folder);

      expect(result).toMatchObject({
        ok: true,
        adopted: ['0001_create_accounts', '0002_create_orders'],
        applied: ['0003_index_orders'],
      });
      expect(await checksumRows(target.db)).toEqual([
        { name: '0001_create_accounts', applied_by: 'adopted' },
        { name: '0002_create_orders', applied_by: 'adopted' },
        { name: '0003_index_orders', applied_by: 'migration-gate' },
      ]);
    });

    test('refuses a target whose applied migration was edited since, naming it and what changed', async () => {
      await using folder = await createMigrationFolder();
      const migrations = threeMigrations(engine);
      await folder.write(migrations);
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);

      await folder.write({
        '0002_create_orders.sql': sqlMigration(
          'create table orders (id int primary key, account_id bigint);',
          'drop table orders;',
        ),
        '0004_create_notes.sql': sqlMigration('create table notes (id int);', 'drop table notes;'),
      });
      const result = await applyTo(engine, target.url, folder);

      expect(result).toMatchObject({ ok: false, outcome: 'refused', refusal: { reason: 'checksum' } });
      expect(result.checksumMismatches).toEqual([
        expect.objectContaining({ name: '0002_create_orders', changed: ['source'] }),
      ]);
      expect(result.refusal?.message).toContain('0002_create_orders');
      expect(await kyselyRows(target.db)).not.toContain('0004_create_notes');
    });

    test('refuses a TypeScript migration whose emitted SQL changed although its file did not', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_tags.ts': [
          "import type { Kysely } from 'kysely';",
          "import { tagColumn } from '../helper.ts';",
          'export async function up(db: Kysely<any>) {',
          "  await db.schema.createTable('tags').addColumn('id', 'integer').addColumn(tagColumn, 'varchar(20)').execute();",
          '}',
          'export async function down(db: Kysely<any>) {',
          "  await db.schema.dropTable('tags').execute();",
          '}',
          '',
        ].join('\n'),
      });
      const { writeFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      await writeFile(join(folder.root, 'helper.ts'), "export const tagColumn = 'label';\n");
      await using target = await createTargetDatabase(engine);
      expect((await applyTo(engine, target.url, folder)).ok).toBe(true);

      await writeFile(join(folder.root, 'helper.ts'), "export const tagColumn = 'title';\n");
      const result = await applyTo(engine, target.url, folder, { allowDrift: true });

      expect(result.refusal?.reason).toBe('checksum');
      expect(result.checksumMismatches).toEqual([
        expect.objectContaining({ name: '0001_create_tags', changed: ['emitted-sql'] }),
      ]);
    });

    test('refuses a target whose schema drifted (a column added by hand), unless drift is allowed', async () => {
      await using folder = await createMigrationFolder();
      const [first, second] = Object.entries(threeMigrations(engine));
      await folder.write(Object.fromEntries([first!]));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      await sql`alter table accounts add column nickname varchar(20)`.execute(target.db);
      await folder.write(Object.fromEntries([second!]));

      const refused = await applyTo(engine, target.url, folder);
      expect(refused).toMatchObject({ ok: false, outcome: 'refused', refusal: { reason: 'drift' } });
      expect(refused.drift?.join('\n')).toMatch(/accounts\.nickname.*added on the target/);
      expect(await kyselyRows(target.db)).toEqual(['0001_create_accounts']);

      const allowed = await applyTo(engine, target.url, folder, { allowDrift: true });
      expect(allowed).toMatchObject({ ok: true, applied: ['0002_create_orders'] });
    });

    test('stops at a migration whose third statement fails and reports what it left and how to recover', async () => {
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
        '0002_unique_codes.sql': sqlMigration(
          [
            'create table item_log (id int);',
            'create table item_tags (id int);',
            'create unique index uq_items_code on items (code);',
          ].join('\n'),
          'drop table item_tags;\ndrop table item_log;',
        ),
      });

      const result = await applyTo(engine, target.url, folder, { requireReversible: false });

      expect(result).toMatchObject({
        ok: false,
        outcome: 'failed',
        applied: [],
        current: '0001_create_items',
        pendingCount: 1,
        failure: {
          migration: '0002_unique_codes',
          statement: { index: 3, sql: 'create unique index uq_items_code on items (code)' },
        },
      });
      expect(result.failure?.recovery).toContain('migration-gate rollback --to 0001_create_items');
      expect(await kyselyRows(target.db)).toEqual(['0001_create_items']);
      expect(await checksumRows(target.db)).toHaveLength(1);
      if (dialectOf(engine) === 'postgres') {
        expect(result.failure).toMatchObject({ transactional: true, ranStatements: [] });
        expect(result.failure?.state).toContain('rolled back');
      } else {
        // MySQL/MariaDB commit each DDL statement: the first two stay.
        expect(result.failure).toMatchObject({
          transactional: false,
          ranStatements: ['create table item_log (id int)', 'create table item_tags (id int)'],
        });
        expect(result.failure?.state).toContain('2 statement(s) of 0002_unique_codes ran and stay');
      }
    });

    test("two concurrent applies exclude each other through Kysely's lock: nothing is applied twice", async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);

      const [one, two] = await Promise.all([
        applyTo(engine, target.url, folder, { requireReversible: false, allowDrift: true }),
        applyTo(engine, target.url, folder, { requireReversible: false, allowDrift: true }),
      ]);

      expect(one.ok && two.ok).toBe(true);
      expect([...one.applied, ...two.applied].sort()).toEqual([
        '0001_create_accounts',
        '0002_create_orders',
        '0003_index_orders',
      ]);
      expect(await kyselyRows(target.db)).toHaveLength(3);
      expect(await checksumRows(target.db)).toHaveLength(3);
    });

    test('retries a migration that times out waiting for a lock, then reports the lock timeout', async () => {
      await using folder = await createMigrationFolder();
      const [first] = Object.entries(threeMigrations(engine));
      await folder.write(Object.fromEntries([first!]));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      await folder.write({
        '0002_add_note.sql': sqlMigration(
          'alter table accounts add column note varchar(20);',
          'alter table accounts drop column note;',
        ),
      });
      const waits: number[] = [];
      // Another session holds the table for the whole apply.
      await target.db.connection().execute(async (holder) => {
        await sql`begin`.execute(holder);
        await sql`select * from accounts`.execute(holder);
        if (dialectOf(engine) === 'postgres')
          await sql`lock table accounts in access exclusive mode`.execute(holder);
        try {
          const result = await applyTo(engine, target.url, folder, {
            requireReversible: false,
            allowDrift: true,
            limits: { lockTimeoutMs: 200 },
            attempts: 2,
            backoff: async (attempt) => {
              waits.push(attempt);
            },
          });
          expect(result).toMatchObject({ ok: false, failure: { migration: '0002_add_note' } });
          expect(result.failure?.message).toMatch(/lock/i);
          expect(waits).toEqual([1]);
        } finally {
          await sql`rollback`.execute(holder);
        }
      });
    });
  },
  SERVER_ENGINES,
);
