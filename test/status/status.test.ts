import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { silentLogger } from '../../src/core/model/logger.ts';
import { renderStatusMarkdown } from '../../src/core/parts/report/status-markdown.ts';
import { runStatus } from '../../src/core/flows/status/status.ts';
import { renderStatusJson, renderStatusText } from '../../src/core/parts/report/status-text.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import type { MigrationFolder } from '../apply/apply-fixture.ts';
import { applyTo, createMigrationFolder, sqlMigration, threeMigrations } from '../apply/apply-fixture.ts';
import { runCliCaptured } from '../cli/run-cli.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

function statusOf(engine: TestEngine, targetUrl: string, folder: MigrationFolder, failOnPending = false) {
  const serverUrl = serverUrlOf(engine);
  return runStatus({
    targetUrl,
    migrations: folder.path,
    cwd: folder.root,
    throwaway: 'server',
    ...(serverUrl === undefined ? {} : { serverUrl }),
    logger: silentLogger,
    failOnPending,
  });
}

describeEachEngine(
  'status',
  (engine) => {
    test('a target in step with its migrations: applied, pending, nothing wrong', async () => {
      await using folder = await createMigrationFolder();
      const [first, second, third] = Object.entries(threeMigrations(engine));
      await folder.write(Object.fromEntries([first!, second!]));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      await folder.write(Object.fromEntries([third!]));

      const result = await statusOf(engine, target.url, folder);

      expect(result).toMatchObject({
        ok: true,
        applied: ['0001_create_accounts', '0002_create_orders'],
        pending: ['0003_index_orders'],
        unknown: [],
        unrecorded: [],
        checksumMismatches: [],
        drift: [],
      });
      expect(renderStatusText(result)).toContain('pending 0003_index_orders');
      expect(JSON.parse(renderStatusJson(result))).toMatchObject({ version: 1, ok: true });
    });

    test('tells the total, the last applied, and when each migration was applied, as Kysely recorded it', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder, { to: '0002_create_orders' });
      const { rows } = await sql<{
        name: string;
        timestamp: string;
      }>`select name, timestamp from kysely_migration
        order by name`.execute(target.db);

      const result = await statusOf(engine, target.url, folder);

      expect(result).toMatchObject({
        total: 3,
        migrations: [
          { name: '0001_create_accounts', state: 'applied', appliedAt: rows[0]!.timestamp },
          { name: '0002_create_orders', state: 'applied', appliedAt: rows[1]!.timestamp },
          { name: '0003_index_orders', state: 'pending' },
        ],
        lastApplied: { name: '0002_create_orders', appliedAt: rows[1]!.timestamp },
      });
      const text = renderStatusText(result);
      expect(text).toContain(`: 3 migration(s), 2 applied, 1 pending`);
      expect(text).toContain(`current: 0002_create_orders (applied ${rows[1]!.timestamp})`);
      expect(text).toContain(`applied 0001_create_accounts  ${rows[0]!.timestamp}`);
    });

    test('with fail-on-pending, a pending migration fails the status, and none pending passes it', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder, { to: '0002_create_orders' });

      const pending = await statusOf(engine, target.url, folder, true);
      expect(pending).toMatchObject({ ok: false, failOnPending: true, pending: ['0003_index_orders'] });
      expect(renderStatusText(pending)).toMatch(/^status: 1 pending \(fail-on-pending\)$/m);
      expect((await statusOf(engine, target.url, folder)).ok).toBe(true);
      const cli = (...extra: string[]) =>
        runCliCaptured([
          'status',
          ...['--target-url', target.url, '--migrations', folder.path, '--throwaway', 'server'],
          ...['--server-url', serverUrlOf(engine)!, ...extra],
        ]);
      expect((await cli('--fail-on-pending')).code).toBe(1);
      expect((await cli()).code).toBe(0);

      await applyTo(engine, target.url, folder);
      expect((await statusOf(engine, target.url, folder, true)).ok).toBe(true);
    });

    test('reports an edited applied migration, drift and migrations Kysely applied alone, in every format', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder, { allowDrift: true });
      await sql`alter table accounts add column nickname varchar(20)`.execute(target.db);
      await folder.write({
        '0002_create_orders.sql': sqlMigration(
          'create table orders (id int primary key, account_id bigint);',
          'drop table orders;',
        ),
      });

      const result = await statusOf(engine, target.url, folder);

      expect(result.ok).toBe(false);
      expect(result.checksumMismatches.map((m) => m.name)).toEqual(['0002_create_orders']);
      expect(result.drift.join('\n')).toMatch(/accounts\.nickname.*added on the target/);
      const markdown = renderStatusMarkdown(result);
      expect(markdown).toContain('**Edited after they were applied**');
      expect(markdown).toContain('**Drift**');
      expect(renderStatusText(result)).toMatch(/^EDITED 0002_create_orders was edited/m);
    });

    test('names a migration stopped half-way, its statements that ran and did not, and the ways forward, in every format, in the words apply refuses with', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_items.sql': sqlMigration(
          'create table items (id int primary key, code int);',
          'drop table items;',
        ),
      });
      await using target = await createTargetDatabase(engine);
      expect((await applyTo(engine, target.url, folder)).ok).toBe(true);
      // Outside a transaction (on Postgres by its own choice): passes on the empty throwaway,
      // fails at its 3rd statement on the target's data, leaving the first two.
      await sql`insert into items (id, code) values (1, 7), (2, 7)`.execute(target.db);
      const dropIndex =
        dialectOf(engine) === 'postgres' ? 'drop index uq_items_code' : 'drop index uq_items_code on items';
      await folder.write({
        '0002_unique_codes.ts': [
          "import { sql, type Kysely } from 'kysely';",
          'export const transaction = false;',
          'export async function up(db: Kysely<any>) {',
          '  await sql`create table item_log (id int)`.execute(db);',
          '  await sql`create table item_tags (id int)`.execute(db);',
          '  await sql`create unique index uq_items_code on items (code)`.execute(db);',
          '  await sql`create table item_notes (id int)`.execute(db);',
          '}',
          'export async function down(db: Kysely<any>) {',
          '  await sql`drop table item_notes`.execute(db);',
          `  await sql\`${dropIndex}\`.execute(db);`,
          '  await sql`drop table item_tags`.execute(db);',
          '  await sql`drop table item_log`.execute(db);',
          '}',
          '',
        ].join('\n'),
      });
      expect((await applyTo(engine, target.url, folder)).outcome).toBe('failed');

      const result = await statusOf(engine, target.url, folder);

      expect(result.ok).toBe(false);
      const text = renderStatusText(result);
      expect(text).toContain('HALF-APPLIED: 0002_unique_codes stopped half-way (run by ');
      expect(text).toContain(
        '2 statement(s) ran and stay, 2 did not run; decide how to go on first: apply and rollback refuse until then',
      );
      expect(text).toContain('  ran 1: create table item_log (id int)');
      expect(text).toContain('  ran 2: create table item_tags (id int)');
      expect(text).toContain('  not run 3: create unique index uq_items_code on items (code)');
      expect(text).toContain('  not run 4: create table item_notes (id int)');
      expect(text).toContain(
        "  finish it by hand: run the statements that did not run, then mark it done: insert into kysely_migration (name, timestamp) values ('0002_unique_codes', '<now, ISO>'); delete from migration_gate_progress where name = '0002_unique_codes'",
      );
      expect(text).toContain('  or undo by hand the statements that ran');
      expect(text).toMatch(/^status: the target needs attention before the next apply$/m);
      const json = JSON.parse(renderStatusJson(result));
      expect(json.halfApplied.message).toContain('0002_unique_codes stopped half-way');
      expect(json.halfApplied.details).toContain(
        'not run 3: create unique index uq_items_code on items (code)',
      );
      const markdown = renderStatusMarkdown(result);
      expect(markdown).toContain('**Stopped half-way:** 0002_unique_codes stopped half-way');
      expect(markdown).toContain('- ran 2: create table item_tags (id int)');
      expect(markdown).toContain('- not run 4: create table item_notes (id int)');
      // The same particulars the next apply refuses with, from the same code.
      const refused = await applyTo(engine, target.url, folder);
      expect(refused.refusal?.reason).toBe('half-applied');
      expect(refused.refusal?.details).toEqual(result.halfApplied?.details);
    });

    test("lists what Kysely's Migrator applied alone as not yet recorded, and never writes", async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await target.migrateTo(
        await loadMigrations({ path: folder.path, dialect: dialectOf(engine) }),
        '0001_create_accounts',
      );

      const result = await statusOf(engine, target.url, folder);

      expect(result).toMatchObject({ ok: true, unrecorded: ['0001_create_accounts'] });
      const here = dialectOf(engine) === 'postgres' ? sql`current_schema()` : sql`database()`;
      const tables = await sql<{ n: number }>`select count(*) as n from information_schema.tables
        where table_schema = ${here} and table_name = 'migration_gate_checksum'`.execute(target.db);
      expect(Number(tables.rows[0]?.n)).toBe(0);
    });
  },
  SERVER_ENGINES,
);
