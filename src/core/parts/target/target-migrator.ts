import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { runsInTransaction } from '../migrations/run-step.ts';
import type { Direction } from '../migrations/run-step.ts';
import type { DialectName } from '../../model/dialect.ts';
import type { Migration } from '../migrations/migration.ts';
import type { AppliedMigration } from '../../model/apply-result.ts';
import { DEFAULT_MIGRATION_TABLE } from './applied-migrations.ts';
import { checkKyselyState, ensureKyselyTables, readExecuted } from './kysely-bookkeeping.ts';
import { isInterrupted } from '../throwaway/interrupt-cleanup.ts';
import type { TargetSession } from './target-step.ts';
import { runTargetStep } from './target-step.ts';
import { ensureProgressTable } from './progress-table.ts';
import { runInOneTransaction } from './one-transaction.ts';
import type { StepFailure, StepRecord, TargetMigratorOptions, TargetRun } from './target-run.ts';

/**
 * Runs `planned` migrations `direction` in order, stopping at the first failure, on
 * `connection`, which holds Kysely's migration lock for the whole run (see withMigrationLock:
 * Kysely's Migrator and another run of this tool wait for it). Under the lock, Kysely's tables are
 * made if missing and its rows read again: a migration another run already applied (or, going
 * down, already reverted) is skipped, and a history Kysely would call corrupted is refused.
 */
export async function migrateTarget(
  options: TargetMigratorOptions,
  direction: Direction,
  planned: readonly Migration[],
  connection: Kysely<any>,
): Promise<TargetRun> {
  const table = options.migrationTable ?? DEFAULT_MIGRATION_TABLE;
  await ensureKyselyTables(connection, options.dialect, table);
  await ensureProgressTable(connection, options.dialect);
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
}

async function runAll(
  session: TargetSession,
  direction: Direction,
  todo: readonly Migration[],
): Promise<TargetRun> {
  const done: StepRecord[] = [];
  try {
    for (const [i, migration] of todo.entries()) {
      // A signal cancelled the statement and is ending the process: start nothing more.
      if (isInterrupted()) break;
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
): StepFailure {
  return {
    name: migration.name,
    direction,
    durationMs: 0,
    attempts: 1,
    statements: [],
    transactional: runsInTransaction(dialect, migration),
    error,
  };
}

/** What the results report of a migration done. */
export function appliedMigration(step: StepRecord): AppliedMigration {
  return {
    name: step.name,
    durationMs: step.durationMs,
    attempts: step.attempts,
    statements: step.statements,
  };
}
