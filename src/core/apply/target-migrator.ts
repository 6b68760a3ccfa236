import { Migrator } from 'kysely';
import type { Kysely, MigrationResultSet } from 'kysely';
import type { CapturedStatement } from '../check/result.ts';
import { runsInTransaction } from '../check/run-step.ts';
import type { Direction } from '../check/run-step.ts';
import type { DialectName } from '../dialect.ts';
import type { Migration } from '../migrations/migration.ts';
import type { StatementRecorder } from '../plan/statement-recorder.ts';
import { DEFAULT_MIGRATION_TABLE } from '../target/applied-migrations.ts';
import { deleteChecksum, writeChecksum } from './checksum-table.ts';
import type { SessionLimits } from './session-limits.ts';
import { applyLimits, isLockTimeout } from './session-limits.ts';

/** What running migrations on the target needs. */
export interface TargetMigratorOptions {
  /** A writable connection pool on the target, its `log` hook feeding {@link recorder}. */
  readonly db: Kysely<any>;
  readonly dialect: DialectName;
  /** MariaDB bounds statements differently from MySQL. */
  readonly mariadb: boolean;
  /** The folder's migrations: Kysely's Migrator picks the next one by name, as it always does. */
  readonly migrations: readonly Migration[];
  readonly recorder: StatementRecorder;
  readonly limits: SessionLimits;
  /** Kysely's migration table; its lock table is `<table>_lock`, as the CLI's check assumes. */
  readonly migrationTable?: string;
  /** The SQL checksum each TypeScript migration's up emitted on the throwaway. */
  readonly sqlChecksums: ReadonlyMap<string, string>;
  /** Recorded in the checksum table as who applied it. */
  readonly appliedBy: string;
  /** Attempts per migration when the failure is a lock timeout (default 3). */
  readonly attempts?: number;
  /** Waits between attempts; injected so tests never sleep (default: 500 ms, doubling). */
  readonly backoff?: (attempt: number) => Promise<void>;
}

/** One migration run on the target. */
export interface TargetStep {
  readonly name: string;
  readonly direction: Direction;
  readonly ok: boolean;
  /** Time of the step's own statements, in milliseconds (the last attempt). */
  readonly durationMs: number;
  readonly attempts: number;
  /** What it sent to the target, in order, the refused one marked `failed`. */
  readonly statements: readonly CapturedStatement[];
  /** Whether it ran inside a transaction, so that a failure left nothing of it. */
  readonly transactional: boolean;
  readonly error?: unknown;
}

/**
 * Runs one migration up or down with Kysely's own Migrator (`migrateUp`/`migrateDown`: one
 * step, under Kysely's lock and bookkeeping, so Kysely and this tool exclude each other), in
 * its own transaction where the engine has transactional DDL and the migration did not opt
 * out. Its checksum row is written (or, going down, removed) inside that same transaction.
 * A lock timeout is retried when the failure left nothing behind. Returns undefined when
 * there was nothing to run (another run got there first).
 */
export async function migrateOneStep(
  options: TargetMigratorOptions,
  direction: Direction,
  expected: Migration,
): Promise<TargetStep | undefined> {
  const attempts = options.attempts ?? 3;
  const backoff =
    options.backoff ?? ((attempt) => new Promise((done) => setTimeout(done, 500 * 2 ** attempt)));
  for (let attempt = 1; ; attempt += 1) {
    const { resultSet, step } = await runOnce(options, direction, expected);
    const ran = resultSet.results?.find((result) => result.status !== 'NotExecuted');
    if (resultSet.error === undefined && ran === undefined) return undefined;
    const report: TargetStep = {
      name: ran?.migrationName ?? expected.name,
      direction,
      ok: resultSet.error === undefined,
      durationMs: Math.round(step?.ms ?? 0),
      attempts: attempt,
      statements: step?.statements ?? [],
      transactional: runsInTransaction(options.dialect, step?.migration ?? expected),
      ...(resultSet.error === undefined ? {} : { error: resultSet.error }),
    };
    const leftNothing = report.transactional || report.statements.every((s) => s.failed === true);
    if (report.ok || !isLockTimeout(report.error) || !leftNothing || attempt >= attempts) return report;
    await backoff(attempt);
  }
}

/**
 * `db`, on the same pool, with an introspector that remembers the table list once Kysely's
 * tables are in it. Each `migrateUp()` asks twice whether its tables exist by listing every
 * table with its columns; one step per call made that listing most of the cost of an apply.
 * Only a list that holds them is kept: they are never dropped while migrations run.
 */
function withRememberedTables(db: Kysely<any>, table: string): Kysely<any> {
  const known = remembering.get(db);
  if (known !== undefined) return known;
  const own = db.withoutPlugins();
  const real = db.introspection;
  let remembered: Awaited<ReturnType<typeof real.getTables>> | undefined;
  const introspection: typeof real = {
    getSchemas: () => real.getSchemas(),
    getMetadata: (options) => real.getMetadata(options),
    getTables: async (options) => {
      if (remembered !== undefined) return remembered;
      const tables = await real.getTables(options);
      const names = new Set(tables.map((listed) => listed.name));
      if (names.has(table) && names.has(`${table}_lock`)) remembered = tables;
      return tables;
    },
  };
  Object.defineProperty(own, 'introspection', { value: introspection });
  remembering.set(db, own);
  return own;
}

/** One remembering view per target connection pool, so the list is read once per run. */
const remembering = new WeakMap<Kysely<any>, Kysely<any>>();

interface StepRun {
  migration: Migration;
  statements: CapturedStatement[];
  ms: number;
}

async function runOnce(
  options: TargetMigratorOptions,
  direction: Direction,
  expected: Migration,
): Promise<{ resultSet: MigrationResultSet; step: StepRun | undefined }> {
  let step: StepRun | undefined;
  const wrap = (migration: Migration, dir: Direction) => async (db: Kysely<any>) => {
    const body = dir === 'up' ? migration.up : migration.down;
    if (body === undefined) throw new Error(`${migration.name} has no ${dir}`);
    const inTransaction = runsInTransaction(options.dialect, migration);
    const undoLimits = await applyLimits(db, options.dialect, options.limits, inTransaction, options.mariadb);
    options.recorder.start();
    const started = performance.now();
    try {
      await body(db);
    } finally {
      step = { migration, statements: options.recorder.stop(), ms: performance.now() - started };
      await undoLimits().catch(() => {});
    }
    if (dir === 'down') return deleteChecksum(db, migration.name);
    await writeChecksum(db, {
      name: migration.name,
      sourceChecksum: migration.checksum,
      sqlChecksum: options.sqlChecksums.get(migration.name) ?? null,
      appliedAt: new Date().toISOString(),
      appliedBy: options.appliedBy,
    });
  };
  const table = options.migrationTable;
  const migrator = new Migrator({
    db: withRememberedTables(options.db, table ?? DEFAULT_MIGRATION_TABLE),
    ...(table === undefined ? {} : { migrationTableName: table, migrationLockTableName: `${table}_lock` }),
    // A migration that opted out of the transaction (CREATE INDEX CONCURRENTLY) gets none.
    disableTransactions: !expected.transactional,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          options.migrations.map((m) => [
            m.name,
            m.down === undefined ? { up: wrap(m, 'up') } : { up: wrap(m, 'up'), down: wrap(m, 'down') },
          ]),
        ),
    },
  });
  const resultSet = direction === 'up' ? await migrator.migrateUp() : await migrator.migrateDown();
  return { resultSet, step };
}
