import { expect, it } from 'vitest';
import { proveMigrations } from '../../src/core/parts/proof/prove.ts';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { createChangeTracker, createSnapshotter } from '../../src/core/parts/schema/create-snapshotter.ts';
import { REPO_ROOT } from '../check/check-fixture.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';
import { migrationFolder } from './plan-fixture.ts';

/** Proves the migrations named `new_*`, replaying the others once, as `check --base` does. */
async function proveNew(engine: TestEngine, files: Record<string, string>): Promise<CheckResult> {
  await using folder = await migrationFolder(files);
  const dialect = dialectOf(engine);
  const migrations = await loadMigrations({ path: folder.path, dialect });
  await using throwaway = await openTestThrowaway(engine);
  return await proveMigrations({
    migrations,
    throwaway,
    snapshotter: createSnapshotter(dialect),
    tracker: createChangeTracker(dialect),
    excludeTables: [],
    isUnderProof: (migration) => migration.name.includes('_new_'),
    logger: silentLogger,
    cwd: REPO_ROOT,
    mode: 'step',
  });
}

const MODULE = `export async function up(db) { await db.schema.createTable('m').addColumn('id', 'integer').execute(); }
export async function down(db) { await db.schema.dropTable('m').execute(); }
`;

const table = (name: string) =>
  `-- migrate:up\ncreate table ${name} (id int primary key);\n-- migrate:down\ndrop table ${name};\n`;

describeEachEngine('replaying merged migrations', (engine) => {
  it('reports a merged migration that fails against it, and replays the others', async () => {
    const check = await proveNew(engine, {
      '001_a.sql': table('a'),
      '002_module.ts': MODULE,
      '003_b.sql':
        '-- migrate:up\ncreate table b (id int primary key);\ninsert into no_such_table values (1);\n',
      '004_c.sql': table('c'),
      '005_new_d.sql':
        '-- migrate:up\ncreate table d (id int references c (id));\n-- migrate:down\ndrop table d;\n',
    });

    expect(check.replayed.map((result) => [result.name, result.status, result.line])).toEqual([
      ['001_a', 'applied', undefined],
      ['002_module', 'applied', undefined],
      ['003_b', 'error', 3],
      ['004_c', 'applied', undefined],
    ]);
    expect(check.migrations.map((result) => [result.name, result.status])).toEqual([
      ['005_new_d', 'reversible'],
    ]);
    expect(check.migrations[0]!.statements).toBeUndefined();
  });
});

// Postgres replays runs of merged migrations in one transaction: these are the cases where
// sharing it could change the outcome.
describeEachEngine(
  'replaying merged migrations in shared transactions',
  (engine) => {
    it('runs a migration alone before blaming it, when it only fails inside the shared transaction', async () => {
      const check = await proveNew(engine, {
        // Committed on its own (outside a transaction), so the next ones add to an existing type.
        '001_mood.sql': "-- migration-gate:no-transaction\n-- migrate:up\ncreate type mood as enum ('ok');\n",
        '002_add_value.sql': "-- migrate:up\nalter type mood add value 'sad';\n",
        // Postgres refuses a value added in the same transaction: fine alone, not in a batch.
        '003_use_value.sql': "-- migrate:up\ncreate table moods (m mood default 'sad');\n",
        '004_new_e.sql': table('e'),
      });

      expect(check.replayed.map((result) => result.status)).toEqual(['applied', 'applied', 'applied']);
      expect(check.ok).toBe(true);
    });

    it('finds the migration whose deferred constraint fails at COMMIT', async () => {
      const check = await proveNew(engine, {
        '001_tables.sql':
          '-- migrate:up\ncreate table parent (id int primary key);\n' +
          'create table child (parent_id int references parent (id) deferrable initially deferred);\n',
        '002_orphan.sql': '-- migrate:up\ninsert into child values (42);\n',
        '003_f.sql': table('f'),
        '004_new_g.sql': table('g'),
      });

      expect(check.replayed.map((result) => [result.name, result.status])).toEqual([
        ['001_tables', 'applied'],
        ['002_orphan', 'error'],
        ['003_f', 'applied'],
      ]);
      expect(check.replayed[1]!.message).toMatch(/foreign key/);
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres'),
);
