import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { DEFAULT_MIGRATION_TABLES } from '../../src/core/flows/check/run-check.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { inspectTarget } from '../../src/core/parts/target/inspect-target.ts';
import { ENGINE_TITLES } from '../support/engine-list.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { CONFORMANCE_ENGINES, describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../migrations-example');

/**
 * The primary server of the same dialect, the one a `--throwaway server` run here would use.
 * Not yet MariaDB 10.11 for MariaDB 11.8 or MySQL 9.7 targets: replayed there, the target's
 * server defaults read as drift (default collation utf8mb4_uca1400_ai_ci / utf8mb4_0900_ai_ci,
 * MySQL's `int` for `int(11)`, `CURRENT_TIMESTAMP` for `current_timestamp()`, ON UPDATE NO
 * ACTION for RESTRICT, CHECK clauses with charset introducers). `check` therefore proves on a
 * container of the target's own release by default.
 */
const PRIMARY_OF: Partial<Record<TestEngine, TestEngine>> = {
  postgres17: 'postgres',
  postgres18: 'postgres',
};

describeEachEngine(
  'drift read with a throwaway of another release',
  (engine) => {
    const primary = PRIMARY_OF[engine]!;
    test.runIf(CONFORMANCE_ENGINES.includes(primary))(
      `a target on ${ENGINE_TITLES[engine]} that matches its migrations shows no drift when replayed on ${ENGINE_TITLES[primary]}`,
      async () => {
        const migrations = await loadMigrations({ path: EXAMPLE, dialect: dialectOf(engine) });
        await using throwaway = await openTestThrowaway(primary);
        await using target = await createTargetDatabase(engine);
        await target.migrateTo(migrations, migrations.at(-1)!.name);
        const status = await inspectTarget({
          targetUrl: target.url,
          migrations,
          throwaway,
          excludeTables: DEFAULT_MIGRATION_TABLES,
          logger: silentLogger,
        });
        expect(status).toMatchObject({ pending: [], unknown: [], drift: [] });
      },
    );
  },
  CONFORMANCE_ENGINES.filter((engine) => PRIMARY_OF[engine] !== undefined),
);
