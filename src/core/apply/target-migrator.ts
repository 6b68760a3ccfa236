import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { CapturedStatement } from '../check/result.ts';
import { runsInTransaction } from '../check/run-step.ts';
import type { Direction } from '../check/run-step.ts';
import type { DialectName } from '../dialect.ts';
import type { Migration } from '../migrations/migration.ts';
import type { StatementRecorder } from '../plan/statement-recorder.ts';
import type { AppliedMigration } from './result.ts';
import { DEFAULT_MIGRATION_TABLE } from '../target/applied-migrations.ts';
import { checkKyselyState, ensureKyselyTables, readExecuted } from './kysely-bookkeeping.ts';
import { withKyselyLock } from './kysely-lock.ts';
import type { SessionLimits } from './session-limits.ts';
import type { TargetSession } from './target-step.ts';
import { runTargetStep } from './target-step.ts';
import { runInOneTransaction } from './one-transaction.ts';

/**
 * How a run's migrations are grouped into transactions on an engine with transactional DDL:
 * `per-migration` (each commits alone, so a failure keeps those before it) or `all` (one
 * transaction for the run: all or nothing, as Kysely's own Migrator runs on Postgres).
 */
export const TRANSACTION_MODES = ['per-migration', 'all'] as const;
export type TransactionMode = (typeof TRANSACTION_MODES)[number];

/** What running migrations on the target needs. */
export interface TargetMigratorOptions {
  /** A writable connection pool on the target, its `log` hook feeding {@link recorder}. */
  readonly db: Kysely<any>;
  readonly dialect: DialectName;
  /** MariaDB bounds statements differently from MySQL. */
  readonly mariadb: boolean;
  /** The folder's migrations: what Kysely's Migrator would check the target's rows against. */
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
  /** Default `per-migration`; `all` only where the caller checked it can hold. */
  readonly transaction?: TransactionMode;
  /** Told of each migration done, as soon as it is committed. */
  readonly onStep?: (step: TargetStep) => void;
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

/** What a run did: the migrations done, in order, and the one that failed, if any. */
export interface TargetRun {
  readonly done: readonly TargetStep[];
  readonly failed?: TargetStep;
  /** The failure rolled back every migration of the run, not only its own (`transaction: all`). */
  readonly wholeRunUndone?: boolean;
}

/**
 * Runs `planned` migrations `direction` in order, stopping at the first failure, under
 * Kysely's migration lock taken once on one connection for the whole run (so Kysely's
 * Migrator and another run of this tool wait for it). Under the lock, Kysely's tables are
 * made if missing and its rows read again: a migration another run already applied (or, going
 * down, already reverted) is skipped, and a history Kysely would call corrupted is refused.
 */
export async function migrateTarget(
  options: TargetMigratorOptions,
  direction: Direction,
  planned: readonly Migration[],
): Promise<TargetRun> {
  const table = options.migrationTable ?? DEFAULT_MIGRATION_TABLE;
  return withKyselyLock(options.db, options.dialect, async (connection) => {
    await ensureKyselyTables(connection, options.dialect, table);
    const executed = await readExecuted(connection, table);
    const applied = new Set(executed);
    const todo = planned.filter((m) => applied.has(m.name) === (direction === 'down'));
    if (todo.length === 0) return { done: [] };
    try {
      checkKyselyState(
        options.migrations.map((m) => m.name),
        executed,
      );
    } catch (error) {
      return { done: [], failed: refusedStep(options.dialect, direction, todo[0]!, error) };
    }
    const session: TargetSession = { connection, options, table, open: false };
    return options.transaction === 'all'
      ? runInOneTransaction(session, direction, todo)
      : runAll(session, direction, todo);
  });
}

async function runAll(
  session: TargetSession,
  direction: Direction,
  todo: readonly Migration[],
): Promise<TargetRun> {
  const done: TargetStep[] = [];
  try {
    for (const [i, migration] of todo.entries()) {
      const step = await runTargetStep(session, direction, migration, todo[i + 1]);
      if (!step.ok) return { done, failed: step };
      done.push(step);
      session.options.onStep?.(step);
    }
    return { done };
  } finally {
    // A transaction begun for a next migration that never ran.
    if (session.open) await sql`rollback`.execute(session.connection);
  }
}

/** A migration that was not run at all because the target's history was refused first. */
function refusedStep(
  dialect: DialectName,
  direction: Direction,
  migration: Migration,
  error: unknown,
): TargetStep {
  return {
    name: migration.name,
    direction,
    ok: false,
    durationMs: 0,
    attempts: 1,
    statements: [],
    transactional: runsInTransaction(dialect, migration),
    error,
  };
}

/** What the results report of a migration done. */
export function appliedMigration(step: TargetStep): AppliedMigration {
  return {
    name: step.name,
    durationMs: step.durationMs,
    attempts: step.attempts,
    statements: step.statements,
  };
}
