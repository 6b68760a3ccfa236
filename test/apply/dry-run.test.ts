import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { expect, test } from 'vitest';
import { runRollback } from '../../src/core/flows/rollback/rollback.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import type { Logger } from '../../src/core/model/logger.ts';
import { backupStepForApply } from '../../src/core/parts/backup/take-verified-backup.ts';
import { createSnapshotter } from '../../src/core/parts/schema/create-snapshotter.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { runCliCaptured } from '../cli/run-cli.ts';
import { applyTo, createMigrationFolder, sqlMigration, threeMigrations } from './apply-fixture.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

/** Everything a change could touch on the target: Kysely's rows as written, checksums, schema. */
async function targetState(engine: TestEngine, db: Kysely<any>): Promise<unknown> {
  const { rows: migrations } = await sql`select * from kysely_migration order by name`.execute(db);
  const { rows: checksums } = await sql`select * from migration_gate_checksum order by name`.execute(db);
  const schema = await createSnapshotter(dialectOf(engine)).take(db, { excludeTables: [] });
  return { migrations, checksums, schema };
}

/** A migration dropping a column: a risk of severity error the plan must show. */
const DROP_EMAIL = sqlMigration(
  'alter table accounts drop column email;',
  'alter table accounts add column email varchar(100);',
);

describeEachEngine(
  'dry runs',
  (engine) => {
    test('apply --dry-run plans every pending migration with its SQL, risks, guards and backup, and changes nothing', async () => {
      await using folder = await createMigrationFolder();
      const [first, second] = Object.entries(threeMigrations(engine));
      await folder.write(Object.fromEntries([first!]));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      await folder.write(Object.fromEntries([second!, ['0003_drop_email.sql', DROP_EMAIL]]));
      const before = await targetState(engine, target.db);
      const backupDir = await mkdtemp(join(tmpdir(), 'migration-gate-dry-run-'));
      try {
        const result = await applyTo(engine, target.url, folder, {
          dryRun: true,
          backup: backupStepForApply({ dir: backupDir, logger: silentLogger, verifyIn: 'server' }),
        });

        expect(result).toMatchObject({
          ok: true,
          outcome: 'planned',
          dryRun: true,
          applied: [],
          pendingCount: 2,
          current: '0001_create_accounts',
          drift: [],
          checksumMismatches: [],
          plannedBackup: `a verified backup into ${backupDir}, restored into a scratch database on the target's server and compared`,
        });
        expect(result.plan?.map((up) => [up.name, up.statements.map((s) => s.sql)])).toEqual([
          ['0002_create_orders', ['create table orders (id int primary key, account_id int)']],
          ['0003_drop_email', ['alter table accounts drop column email']],
        ]);
        expect(result.plan?.[1]?.risks?.map((risk) => risk.rule)).toContain('drop-column');
        expect(result.proof?.ok).toBe(true);
        expect(await targetState(engine, target.db)).toEqual(before);
        expect(await readdir(backupDir)).toEqual([]);
      } finally {
        await rm(backupDir, { recursive: true, force: true });
      }
    });

    test('a dry run that a guard refuses says so, with dryRun, and changes nothing', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder, { to: '0002_create_orders' });
      await sql`alter table orders add column note varchar(20)`.execute(target.db);
      const before = await targetState(engine, target.db);

      const result = await applyTo(engine, target.url, folder, { dryRun: true });

      expect(result).toMatchObject({
        ok: false,
        outcome: 'refused',
        dryRun: true,
        refusal: { reason: 'drift' },
      });
      expect(await targetState(engine, target.db)).toEqual(before);
    });

    test('rollback --dry-run rehearses the downs and shows their SQL and the backup, changing nothing', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      const before = await targetState(engine, target.db);

      const result = await runRollback({
        targetUrl: target.url,
        goal: { to: '0001_create_accounts' },
        migrations: folder.path,
        cwd: folder.root,
        throwaway: 'server',
        serverUrl: serverUrlOf(engine)!,
        backup: 'none',
        logger: silentLogger,
        dryRun: true,
      });

      expect(result).toMatchObject({
        ok: true,
        outcome: 'planned',
        dryRun: true,
        rolledBack: [],
        current: '0003_index_orders',
        plannedBackup: 'none: backup none was asked for',
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
      expect(await targetState(engine, target.db)).toEqual(before);
    });

    test("rollback tells the downs' SQL before it runs them", async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      await applyTo(engine, target.url, folder);
      const told: string[] = [];
      const logger: Logger = { ...silentLogger, info: (message) => told.push(message) };

      await runRollback({
        targetUrl: target.url,
        goal: { steps: 1 },
        migrations: folder.path,
        cwd: folder.root,
        throwaway: 'server',
        serverUrl: serverUrlOf(engine)!,
        backup: 'none',
        logger,
      });

      const planned = told.indexOf('plan: down of 0003_index_orders');
      const ran = told.findIndex((line) => line.startsWith('rolled back 0003_index_orders'));
      expect(planned).toBeGreaterThan(-1);
      expect(told[planned + 1]).toMatch(/^ {2}drop index idx_orders_account/);
      expect(ran).toBeGreaterThan(planned);
    });

    test('the CLI prints the dry run plan: SQL, risks, guards, the backup it would take, and exits 0', async () => {
      await using folder = await createMigrationFolder();
      const [first] = Object.entries(threeMigrations(engine));
      await folder.write(Object.fromEntries([first!, ['0002_drop_email.sql', DROP_EMAIL]]));
      await using target = await createTargetDatabase(engine);
      const common = [
        '--migrations',
        folder.path,
        '--throwaway',
        'server',
        '--server-url',
        serverUrlOf(engine)!,
      ];

      const run = await runCliCaptured([
        'apply',
        ...common,
        '--target-url',
        target.url,
        '--backup',
        'none',
        '--dry-run',
      ]);

      expect(run.code).toBe(0);
      expect(run.stdout).toContain('plan: up of 0002_drop_email\n  alter table accounts drop column email\n');
      expect(run.stdout).toContain('risk (error) drop-column');
      expect(run.stdout).toContain('guards: no drift');
      expect(run.stdout).toContain('guards: 2 pending migration(s) proven reversible on a throwaway');
      expect(run.stdout).toContain('backup: would take none: backup none was asked for');
      expect(run.stdout).toMatch(/planned \(dry run: nothing changed\): 2 to apply, 2 pending/);
      const json = await runCliCaptured([
        'apply',
        ...common,
        '--target-url',
        target.url,
        '--backup',
        'none',
        '--dry-run',
        '--json',
      ]);
      expect(JSON.parse(json.stdout)).toMatchObject({ outcome: 'planned', dryRun: true, applied: [] });
      const here = dialectOf(engine) === 'postgres' ? sql`current_schema()` : sql`database()`;
      const { rows } = await sql`select count(*) as n from information_schema.tables
        where table_name = 'kysely_migration' and table_schema = ${here}`.execute(target.db);
      expect(Number((rows[0] as { n: number | string }).n)).toBe(0);
    });
  },
  SERVER_ENGINES,
);
