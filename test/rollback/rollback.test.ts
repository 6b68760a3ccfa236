import { sql } from 'kysely';
import { expect, test } from 'vitest';
import type { RollbackRequest } from '../../src/core/flows/rollback/rollback.ts';
import { runRollback } from '../../src/core/flows/rollback/rollback.ts';
import { migrationsToUndo } from '../../src/core/flows/rollback/rollback-target.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import type { MigrationFolder } from '../apply/apply-fixture.ts';
import {
  applyTo,
  checksumRows,
  createMigrationFolder,
  kyselyRows,
  sqlMigration,
  threeMigrations,
} from '../apply/apply-fixture.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

function rollBack(
  engine: TestEngine,
  targetUrl: string,
  folder: MigrationFolder,
  goal: RollbackRequest['goal'],
) {
  const serverUrl = serverUrlOf(engine);
  return runRollback({
    targetUrl,
    goal,
    migrations: folder.path,
    cwd: folder.root,
    throwaway: 'server',
    ...(serverUrl === undefined ? {} : { serverUrl }),
    backup: 'none',
    logger: silentLogger,
  });
}

test('rolling back picks the newest applied migrations, newest first', () => {
  const applied = ['a', 'b', 'c', 'd'];
  expect(migrationsToUndo(applied, { to: 'b' })).toEqual(['d', 'c']);
  expect(migrationsToUndo(applied, { to: '0' })).toEqual(['d', 'c', 'b', 'a']);
  expect(migrationsToUndo(applied, { steps: 1 })).toEqual(['d']);
  expect(() => migrationsToUndo(applied, { to: 'x' })).toThrow(/has not applied it/);
  expect(() => migrationsToUndo(applied, { steps: 5 })).toThrow(/has 4 applied/);
});

describeEachEngine(
  'rollback',
  (engine) => {
    test('rolls back to a named migration: plans the downs with their SQL, then runs them newest first', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);

      const result = await rollBack(engine, target.url, folder, { to: '0001_create_accounts' });

      expect(result).toMatchObject({
        ok: true,
        outcome: 'rolled-back',
        rolledBack: ['0003_index_orders', '0002_create_orders'],
        current: '0001_create_accounts',
      });
      expect(result.plan.map((down) => [down.name, down.statements.map((s) => s.sql)])).toEqual([
        [
          '0003_index_orders',
          [
            dialectOf(engine) === 'postgres'
              ? 'drop index idx_orders_account'
              : 'drop index idx_orders_account on orders',
          ],
        ],
        ['0002_create_orders', ['drop table orders']],
      ]);
      expect(await kyselyRows(target.db)).toEqual(['0001_create_accounts']);
      expect((await checksumRows(target.db)).map((row) => row.name)).toEqual(['0001_create_accounts']);

      // What was rolled back applies again.
      expect((await applyTo(engine, target.url, folder)).applied).toEqual([
        '0002_create_orders',
        '0003_index_orders',
      ]);
    });

    test('rolls back by steps', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);

      const result = await rollBack(engine, target.url, folder, { steps: 1 });

      expect(result).toMatchObject({
        ok: true,
        rolledBack: ['0003_index_orders'],
        current: '0002_create_orders',
      });
      expect(await kyselyRows(target.db)).toEqual(['0001_create_accounts', '0002_create_orders']);
    });

    test("rolls back a target Kysely's Migrator migrated alone", async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      const migrations = await loadMigrations({ path: folder.path, dialect: dialectOf(engine) });
      await target.migrateTo(migrations, '0003_index_orders');

      const result = await rollBack(engine, target.url, folder, { to: '0' });

      expect(result).toMatchObject({ ok: true, current: undefined });
      expect(result.rolledBack).toHaveLength(3);
      expect(await kyselyRows(target.db)).toEqual([]);
    });

    test('refuses when a migration to roll back has no down, changing nothing', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await folder.write({ '0004_seed.sql': '-- migrate:up\ncreate table seeds (id int);\n' });
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder, { requireReversible: false });

      const result = await rollBack(engine, target.url, folder, { to: '0002_create_orders' });

      expect(result).toMatchObject({ ok: false, outcome: 'refused', refusal: { reason: 'missing-down' } });
      expect(result.refusal?.message).toContain('0004_seed');
      expect(await kyselyRows(target.db)).toHaveLength(4);
    });

    test('refuses when a down fails its rehearsal on the throwaway', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      // A down that forgets the table it should drop: reversible no more.
      await folder.write({
        '0002_create_orders.sql': sqlMigration(
          'create table orders (id int primary key, account_id int);',
          'select 1;',
        ),
      });
      await sql`delete from migration_gate_checksum where name = '0002_create_orders'`.execute(target.db);

      const result = await rollBack(engine, target.url, folder, { steps: 2 });

      expect(result).toMatchObject({ ok: false, outcome: 'refused', refusal: { reason: 'proof' } });
      expect(result.refusal?.details.join('\n')).toMatch(/orders/);
      expect(await kyselyRows(target.db)).toHaveLength(3);
    });
  },
  SERVER_ENGINES,
);
