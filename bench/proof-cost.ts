import { Migrator } from 'kysely';
import type { Migration as KyselyMigration } from 'kysely';
import type { DialectName } from '../src/core/model/dialect.ts';
import { silentLogger } from '../src/core/model/logger.ts';
import { loadMigrations } from '../src/core/parts/migrations/load-migrations.ts';
import { timeServerCheck } from './server-check.ts';
import { openThrowaway } from '../src/core/parts/throwaway/open-throwaway.ts';

/** Wall time of `check`, and of Kysely's migrateToLatest applying the same history once. */
export interface ProofCost {
  readonly checkMs: number;
  readonly migrateMs: number;
  readonly ok: boolean;
  /** How many migrations the proof found reversible (the verdict may still fail on risks). */
  readonly reversible: number;
}

/** Measures one history on one server: Kysely's Migrator first, then the whole `check`. */
export async function measureProofCost(
  folder: string,
  dialect: DialectName,
  serverUrl: string,
): Promise<ProofCost> {
  const migrateMs = await timeMigrateToLatest(folder, dialect, serverUrl);
  const { ms, result } = await timeServerCheck(folder, dialect, serverUrl);
  return {
    checkMs: ms,
    migrateMs,
    ok: result.ok,
    reversible: result.summary.reversible,
  };
}

async function timeMigrateToLatest(folder: string, dialect: DialectName, serverUrl: string): Promise<number> {
  const migrations = await loadMigrations({ path: folder, dialect });
  const record: Record<string, KyselyMigration> = {};
  for (const migration of migrations) {
    record[migration.name] = {
      up: migration.up,
      ...(migration.down === undefined ? {} : { down: migration.down }),
    };
  }
  await using throwaway = await openThrowaway('server', { dialect, serverUrl, logger: silentLogger });
  const migrator = new Migrator({ db: throwaway.db, provider: { getMigrations: async () => record } });
  const started = performance.now();
  const { error } = await migrator.migrateToLatest();
  const elapsed = performance.now() - started;
  if (error !== undefined) throw error;
  return elapsed;
}
