import { expect, test } from 'vitest';
import { AVAILABLE_ENGINES, describeEachEngine } from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { applyTo, createMigrationFolder, kyselyRows, sqlMigration } from './apply-fixture.ts';

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
  AVAILABLE_ENGINES.filter((engine) => engine === 'postgres'),
);
