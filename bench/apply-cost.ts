import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { runApply } from '../src/core/flows/apply/apply.ts';
import type { TransactionMode } from '../src/core/parts/target/target-run.ts';
import { parseConnectionUrl, withDatabase } from '../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../src/core/parts/database/connect.ts';
import { silentLogger } from '../src/core/model/logger.ts';
import { loadMigrations } from '../src/core/parts/migrations/load-migrations.ts';
import { scratchDatabaseName } from '../src/core/parts/throwaway/scratch-name.ts';
import { writeSyntheticHistory } from './synthetic-history.ts';

const SIZE = 100;
const ROUNDS = 7;

/**
 * `apply` of 100 synthetic migrations to an empty Postgres database, backup excluded, against
 * Kysely's `Migrator.migrateToLatest` on the same server (goal: at most 1.1 times). Each
 * round migrates a fresh database with each, in alternating order; medians are compared.
 * migrateToLatest commits once for the lot; apply commits once per migration by default (so a
 * failure keeps what came before it), so the gap left is mostly one WAL flush per migration;
 * `--transaction all` commits once, as Kysely does. Also
 * times Kysely's own `migrateUp()` once per migration (what apply ran before it took Kysely's
 * lock once per run) and apply with its guards on (drift compared, pending migrations proven).
 */
export async function benchApply(postgresUrl: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'migration-gate-apply-bench-'));
  try {
    const folder = join(work, 'migrations');
    await writeSyntheticHistory(folder, SIZE, 'postgres');
    const kysely: KyselyTimes[] = [];
    const bare: number[] = [];
    const grouped: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const runs = [
        async () => kysely.push(await onFreshDatabase(postgresUrl, (url) => timeKysely(url, folder))),
        async () =>
          bare.push(await onFreshDatabase(postgresUrl, (url) => timeApply(url, folder, work, false))),
        async () =>
          grouped.push(
            await onFreshDatabase(postgresUrl, (url) => timeApply(url, folder, work, false, 'all')),
          ),
      ];
      for (const measure of round % 2 === 0 ? runs : [...runs].reverse()) await measure();
    }
    const stepwise = await onFreshDatabase(postgresUrl, (url) => timeKysely(url, folder, 'step'));
    const guarded = await onFreshDatabase(postgresUrl, (url) => timeApply(url, folder, work, true));
    const floor = median(kysely.map((times) => times.run));
    const migrateOnly = median(kysely.map((times) => times.migrate));
    console.log(
      `\napply of ${SIZE} migrations to an empty Postgres database (median of ${ROUNDS}, backup excluded; a run loads the files, connects, migrates and disconnects)`,
    );
    const row = (run: string, ms: number) => ({ run, ms: Math.round(ms), ratio: round2(ms / floor) });
    console.table([
      row('Kysely Migrator.migrateToLatest, whole run', floor),
      row('  of which migrateToLatest() itself', migrateOnly),
      row('Kysely migrateUp() once per migration, whole run', stepwise.run),
      row('apply, guards off, whole run (a transaction per migration)', median(bare)),
      row('apply --transaction all, guards off, whole run', median(grouped)),
      row('apply, drift + proof (1 round)', guarded),
    ]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A Kysely run: the whole of it, and the Migrator's call alone. */
interface KyselyTimes {
  readonly run: number;
  readonly migrate: number;
}

/**
 * Kysely alone, as `kysely migrate:latest` runs: load the files, connect, then all at once
 * (one transaction for the lot, on Postgres), or `step`: one `migrateUp()` per migration (a
 * transaction, a lock and a look at Kysely's tables each), then disconnect.
 */
async function timeKysely(
  url: string,
  folder: string,
  how: 'latest' | 'step' = 'latest',
): Promise<KyselyTimes> {
  const started = performance.now();
  const migrations = await loadMigrations({ path: folder, dialect: 'postgres' });
  const { db } = await openDatabase(parseConnectionUrl(url));
  let migrate: number;
  try {
    const migrator = new Migrator({
      db,
      provider: {
        getMigrations: async () =>
          Object.fromEntries(
            migrations.map((m) => [m.name, { up: m.up, ...(m.down ? { down: m.down } : {}) }]),
          ),
      },
    });
    const migrating = performance.now();
    for (let i = 0; i < (how === 'latest' ? 1 : migrations.length); i += 1) {
      const { error } = how === 'latest' ? await migrator.migrateToLatest() : await migrator.migrateUp();
      if (error !== undefined) throw error;
    }
    migrate = performance.now() - migrating;
  } finally {
    await db.destroy();
  }
  return { run: performance.now() - started, migrate };
}

/** Loading the folder is part of apply's time: it reads and checksums every file each run. */
async function timeApply(
  url: string,
  folder: string,
  cwd: string,
  guards: boolean,
  transaction: TransactionMode = 'per-migration',
): Promise<number> {
  const started = performance.now();
  const result = await runApply({
    targetUrl: url,
    migrations: folder,
    cwd,
    throwaway: 'server',
    serverUrl: url,
    backup: 'none',
    requireReversible: guards,
    transaction,
    allowDrift: !guards,
    logger: silentLogger,
  });
  if (!result.ok || result.applied.length !== SIZE)
    throw new Error(`apply failed: ${JSON.stringify(result.refusal ?? result.failure)}`);
  return performance.now() - started;
}

async function onFreshDatabase<T>(serverUrl: string, measure: (url: string) => Promise<T>): Promise<T> {
  const server = parseConnectionUrl(serverUrl);
  const { db: admin } = await openDatabase(server);
  const name = scratchDatabaseName();
  await sql`create database ${sql.id(name)}`.execute(admin);
  try {
    return await measure(withDatabase(server, name).url.href);
  } finally {
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
