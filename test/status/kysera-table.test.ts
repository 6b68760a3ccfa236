import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { expect, test } from 'vitest';
import { runApply } from '../../src/core/flows/apply/apply.ts';
import { runStatus } from '../../src/core/flows/status/status.ts';
import { UsageError } from '../../src/core/model/errors.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { installPackages } from '../support/npm-packages.ts';
import { createTargetDatabase } from '../target/target-database.ts';

const packages = await installPackages(['@kysera/migrations@0.8.8', 'kysely@0.28.20']);

interface KyseraMigrations {
  runMigrations(db: Kysely<any>, migrations: readonly unknown[]): Promise<unknown>;
}

function throwawayOf(engine: TestEngine) {
  const serverUrl = serverUrlOf(engine);
  return {
    throwaway: 'server' as const,
    ...(serverUrl === undefined ? {} : { serverUrl }),
    logger: silentLogger,
  };
}

describeEachEngine(
  "a target migrated by Kysera's runner (its table migrations(name, executed_at))",
  (engine) => {
    test('status reads it with --migration-table migrations: applied in its order, the rest pending', async () => {
      await using project = await packages!.project('kysera');
      const index = join(project.path, 'db/migrations/index.ts');
      const migrations = await loadMigrations({ path: index, dialect: dialectOf(engine) });
      await using target = await createTargetDatabase(engine);
      // Kysera's own runner writes the table, as on a project that used it until now.
      const kysera = (await import(
        pathToFileURL(join(packages!.root, 'node_modules/@kysera/migrations/dist/index.js')).href
      )) as KyseraMigrations;
      await kysera.runMigrations(target.db, migrations.slice(0, 3));

      const result = await runStatus({
        targetUrl: target.url,
        migrations: index,
        cwd: project.path,
        migrationTable: 'migrations',
        ...throwawayOf(engine),
      });

      expect(result).toMatchObject({
        ok: true,
        applied: ['001_create_posts', '002_add_posts_slug', '003_create_comments'],
        pending: ['004_create_audit_log', '005_drop_audit_log'],
        drift: [],
      });
    });

    test('apply refuses to write it, saying why and what to do instead', async () => {
      await using project = await packages!.project('kysera');
      const index = join(project.path, 'db/migrations/index.ts');
      await using target = await createTargetDatabase(engine);
      await sql`create table migrations (name varchar(255) primary key, executed_at timestamp not null default current_timestamp)`.execute(
        target.db,
      );

      const error = await runApply({
        targetUrl: target.url,
        migrations: index,
        cwd: project.path,
        migrationTable: 'migrations',
        backup: 'none',
        ...throwawayOf(engine),
      }).catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(
        "migration table migrations is Kysera's runner's (name, executed_at): migration-gate reads it, but changes a target only through Kysely's table (name, timestamp), with Kysely's lock; apply and roll back with Kysera's runner, or move the history to Kysely's table",
      );
    });

    test('a table of neither shape is refused, naming its columns', async () => {
      await using project = await packages!.project('kysera');
      await using target = await createTargetDatabase(engine);
      await sql`create table schema_history (version int, applied_on varchar(40))`.execute(target.db);

      const error = await runStatus({
        targetUrl: target.url,
        migrations: join(project.path, 'db/migrations/index.ts'),
        cwd: project.path,
        migrationTable: 'schema_history',
        ...throwawayOf(engine),
      }).catch((thrown: unknown) => thrown);

      expect((error as Error).message).toBe(
        "migration table schema_history has the columns version, applied_on, which is neither Kysely's (name, timestamp) nor Kysera's runner's (name, executed_at): give --migration-table the table your migrator records applied migrations in",
      );
    });
  },
  packages === undefined ? [] : AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite'),
);
