import { expect, test } from 'vitest';
import { AVAILABLE_ENGINES, describeEachEngine } from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { applyTo, createMigrationFolder, kyselyRows, sqlMigration } from './apply-fixture.ts';

const UNAWAITED = `import type { Kysely } from 'kysely';

// Neither statement is awaited: up returns before they run.
export async function up(db: Kysely<any>): Promise<void> {
  db.schema.createTable('invoices').addColumn('id', 'integer').execute();
  db.schema.createTable('payments').addColumn('id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payments').execute();
  await db.schema.dropTable('invoices').execute();
}
`;

describeEachEngine(
  'apply of a migration that does not await its queries',
  (engine) => {
    test('is refused by the rehearsal on a throwaway, naming the missing await, before the target is touched', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_accounts.sql': sqlMigration(
          'create table accounts (id int primary key);',
          'drop table accounts;',
        ),
        '0002_create_invoices.ts': UNAWAITED,
      });
      await using target = await createTargetDatabase(engine);

      // Unproven: the replay of the pending ups on a throwaway is what meets it.
      const result = await applyTo(engine, target.url, folder, { requireReversible: false });

      expect(result).toMatchObject({
        ok: false,
        outcome: 'refused',
        applied: [],
        refusal: { reason: 'replay' },
      });
      expect(result.refusal!.details).toEqual([
        'up of 0002_create_invoices failed on the throwaway database: up of 0002_create_invoices returned before 2 of its statements ran: a missing await?',
      ]);
      expect(await kyselyRows(target.db).catch(() => [])).toEqual([]);
    });
  },
  AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite'),
);
