import { bookkeepingTables } from '../../parts/migrations/bookkeeping-tables.ts';
import type { Kysely } from 'kysely';
import { backupBeforeChange, describeBackupChoice } from '../../parts/backup/backup-step.ts';
import { downPlanLines } from '../../parts/report/change-plan.ts';
import { optional } from '../../model/optional.ts';
import type { BackupChoice } from '../../parts/backup/backup-step.ts';
import { ensureChecksumTable, readChecksums } from '../../parts/target/checksum-table.ts';
import { describeFailure } from '../../parts/target/failure-report.ts';
import { changeStepLine } from '../../parts/report/apply-report.ts';
import type { AppliedMigration, ApplyRefusal } from '../../model/apply-result.ts';
import { DEFAULT_LOCK_WAIT_MS } from '../../parts/target/session-limits.ts';
import type { SessionLimits } from '../../parts/target/session-limits.ts';
import { guardTarget } from '../../parts/target/target-guards.ts';
import { targetAndMigrations } from '../../parts/target/target-migrations.ts';
import type { StepFailure } from '../../parts/target/target-run.ts';
import { appliedMigration, migrateTarget } from '../../parts/target/target-migrator.ts';
import { guardRefusal, lockRefusal, replayRefusal } from '../../parts/target/refusals.ts';
import { halfAppliedRefusal } from '../../parts/target/half-applied.ts';
import { readProgress } from '../../parts/target/progress-table.ts';
import { withMigrationLock } from '../../parts/target/kysely-lock.ts';
import type { HeldLock } from '../../parts/target/kysely-lock.ts';
import type { TargetThrowawayOptions } from '../../parts/target/target-throwaway.ts';
import { openTargetThrowaway } from '../../parts/target/target-throwaway.ts';
import { openDatabase } from '../../parts/database/connect.ts';
import type { DialectName } from '../../model/dialect.ts';
import type { Migration } from '../../parts/migrations/migration.ts';
import { StatementRecorder } from '../../parts/plan/statement-recorder.ts';
import { createSnapshotter } from '../../parts/schema/create-snapshotter.ts';
import {
  DEFAULT_MIGRATION_TABLE,
  assertWritableMigrationTable,
  readAppliedMigrations,
} from '../../parts/target/applied-migrations.ts';
import type { RollbackResult } from '../../model/rollback-result.ts';
import { rehearseRollback } from './rollback-rehearsal.ts';
import type { RollbackGoal } from './rollback-target.ts';
import { migrationsToUndo } from './rollback-target.ts';

/** Everything `rollback` needs; both shells build one of these from their inputs. */
export interface RollbackRequest extends TargetThrowawayOptions {
  /** The database to roll back; credentials included, never printed. */
  readonly targetUrl: string;
  readonly goal: RollbackGoal;
  /** Folder or index module; when absent, kysely-ctl's configuration, else `./migrations`. */
  /** An empty migrations folder passes instead of failing. */
  readonly allowEmpty?: boolean;
  readonly migrations?: string;
  readonly cwd: string;
  /** Kysely's migration table (its lock table is `<table>_lock`). */
  readonly migrationTable?: string;
  /** Roll back although the target's schema differs from its migrations. */
  readonly allowDrift?: boolean;
  /** The verified backup taken before the first change, or `none`, said explicitly. */
  readonly backup: BackupChoice;
  readonly limits?: SessionLimits;
  readonly attempts?: number;
  readonly backoff?: (attempt: number) => Promise<void>;
  /** Run the guards and rehearse the downs, then stop: the target is only read. */
  readonly dryRun?: boolean;
}

/**
 * Rolls the target back, all under one hold of Kysely's lock (waited for at most lock-wait,
 * its holder named): a migration stopped half-way refused first, then guards (checksums,
 * drift), the plan rehearsed on a throwaway (every down must exist, run, and leave the schema
 * the remaining migrations make), the backup, then the downs newest first. A dry run only
 * reads, without the lock, and stops before the backup.
 */
export async function runRollback(request: RollbackRequest): Promise<RollbackResult> {
  const started = performance.now();
  const { target, migrations } = await targetAndMigrations(request);
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const targetRecorder = new StatementRecorder();
  const { db, serverVersion } = await openDatabase(target, { log: (event) => targetRecorder.observe(event) });
  try {
    const table = request.migrationTable ?? DEFAULT_MIGRATION_TABLE;
    const excludeTables = bookkeepingTables(table);
    await assertWritableMigrationTable(db, target.dialect, table);
    const finish = (result: Omit<RollbackResult, 'durationMs'>): RollbackResult => ({
      ...result,
      durationMs: Math.round(performance.now() - started),
    });
    // From reading the target's state to the last down, under Kysely's lock (a dry run only
    // reads, without it): no other run changes what is judged, backed up and undone.
    const onTarget = async (lock: HeldLock | undefined): Promise<RollbackResult> => {
      const applied = await readAppliedMigrations(db, target.dialect, table);
      const undoNames = migrationsToUndo(applied, request.goal);
      const base = {
        dialect: target.dialect,
        database: target.display,
        plan: [],
        rolledBack: [],
        migrations: [],
        current: applied.at(-1),
        ...(request.dryRun === true ? { dryRun: true as const } : {}),
      };
      const halfApplied = halfAppliedRefusal(
        await readProgress(db, target.dialect),
        applied,
        table,
        'nothing rolled back',
      );
      if (halfApplied !== undefined)
        return finish({ ...base, ok: false, outcome: 'refused', refusal: halfApplied });
      if (undoNames.length === 0) return finish({ ...base, ok: true, outcome: 'nothing-to-do' });
      const missingDown = undoNames.filter((name) => {
        const migration = byName.get(name);
        return (
          migration === undefined || migration.down === undefined || migration.irreversible !== undefined
        );
      });
      if (missingDown.length > 0) {
        const refusal: ApplyRefusal = {
          reason: 'missing-down',
          message: `cannot roll back: ${missingDown.join(', ')} has no down (or declares itself irreversible)`,
          details: missingDown.map((name) =>
            byName.has(name) ? `${name} has no working down` : `${name} is missing from the migrations`,
          ),
        };
        return finish({ ...base, ok: false, outcome: 'refused', refusal });
      }
      const undo = undoNames.map((name) => byName.get(name)!);

      const recorder = new StatementRecorder();
      await using throwaway = await openTargetThrowaway(request, target.dialect, (event) =>
        recorder.observe(event),
      );
      let guards;
      try {
        guards = await guardTarget({
          db,
          applied,
          migrations,
          stored: await readChecksums(db, target.dialect),
          throwaway,
          recorder,
          excludeTables,
          checkDrift: request.allowDrift !== true,
        });
      } catch (error) {
        return finish({ ...base, ok: false, outcome: 'refused', refusal: replayRefusal(error) });
      }
      const refused = guardRefusal(guards.checksums.mismatches, guards.drift, 'nothing rolled back');
      if (refused !== undefined) return finish({ ...base, ok: false, outcome: 'refused', refusal: refused });

      const undoSet = new Set(undoNames);
      const remaining = applied.filter((name) => !undoSet.has(name)).map((name) => byName.get(name)!);
      const snapshotter = createSnapshotter(target.dialect);
      const rehearsal = await rehearseRollback(
        throwaway,
        undo,
        remaining,
        recorder,
        snapshotter,
        excludeTables,
      );
      const planned = { ...base, plan: rehearsal.plan };
      const downStatements = new Map(
        rehearsal.plan.map((down) => [down.name, down.statements.map((statement) => statement.sql)]),
      );
      if (rehearsal.problems.length > 0) {
        const refusal: ApplyRefusal = {
          reason: 'proof',
          message: 'the downs failed their rehearsal on the throwaway database: nothing rolled back',
          details: rehearsal.problems,
        };
        return finish({ ...planned, ok: false, outcome: 'refused', refusal });
      }
      if (request.dryRun === true) {
        const plannedBackup = describeBackupChoice(request.backup);
        return finish({ ...planned, ok: true, outcome: 'planned', plannedBackup });
      }
      // Shown before anything runs, so whoever watches knows what is about to happen.
      for (const line of downPlanLines(rehearsal.plan)) request.logger.info(line);

      // Only a dry run goes without the lock, and it returned above.
      const held = lock as HeldLock;
      const backedUp = await backupBeforeChange(
        request.backup,
        target,
        request.logger,
        'nothing rolled back',
      );
      if (!backedUp.ok)
        return finish({ ...planned, ok: false, outcome: 'refused', refusal: backedUp.refusal });
      const backup = backedUp.backup;
      const backupPart = optional('backup', backup);
      // A target Kysely's Migrator migrated alone has no checksum table; each down clears its row.
      await ensureChecksumTable(db, target.dialect);
      const run = await undoAll(
        request,
        downStatements,
        backup?.path,
        db,
        await held.claim(),
        target.dialect,
        /mariadb/i.test(serverVersion),
        migrations,
        undo,
        targetRecorder,
      );
      const current = (await readAppliedMigrations(db, target.dialect, table)).at(-1);
      const failure =
        run.failed === undefined
          ? undefined
          : describeFailure(run.failed, current, backup?.path, false, {
              planned: downStatements.get(run.failed.name) ?? [],
              migrationTable: table,
            });
      return finish({
        ...planned,
        ...backupPart,
        ok: failure === undefined,
        outcome: failure === undefined ? 'rolled-back' : 'failed',
        rolledBack: run.done.map((step) => step.name),
        migrations: run.done,
        current,
        ...(failure === undefined ? {} : { failure }),
      });
    };
    if (request.dryRun === true) return await onTarget(undefined);
    const locked = await withMigrationLock(
      db,
      target.dialect,
      { waitMs: request.limits?.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, logger: request.logger },
      onTarget,
    );
    if (locked.ok) return locked.value;
    const current = (await readAppliedMigrations(db, target.dialect, table)).at(-1);
    const refusal = lockRefusal(locked, 'nothing rolled back');
    return finish({
      dialect: target.dialect,
      database: target.display,
      plan: [],
      rolledBack: [],
      migrations: [],
      current,
      ok: false,
      outcome: 'refused',
      refusal,
    });
  } finally {
    await db.destroy();
  }
}

/** Runs the downs on `connection`, which holds Kysely's lock, stopping at the first failure. */
async function undoAll(
  request: RollbackRequest,
  plannedStatements: ReadonlyMap<string, readonly string[]>,
  backupPath: string | undefined,
  db: Kysely<any>,
  connection: Kysely<any>,
  dialect: DialectName,
  mariadb: boolean,
  migrations: readonly Migration[],
  undo: readonly Migration[],
  recorder: StatementRecorder,
): Promise<{ done: AppliedMigration[]; failed: StepFailure | undefined }> {
  const run = await migrateTarget(
    {
      db,
      dialect,
      mariadb,
      migrations,
      recorder,
      limits: request.limits ?? {},
      sqlChecksums: new Map<string, string>(),
      plannedStatements,
      ...optional('backupPath', backupPath),
      appliedBy: 'migration-gate',
      ...(request.migrationTable === undefined ? {} : { migrationTable: request.migrationTable }),
      ...(request.attempts === undefined ? {} : { attempts: request.attempts }),
      ...(request.backoff === undefined ? {} : { backoff: request.backoff }),
      onStep: (step) => request.logger.info(changeStepLine('rolled back', step)),
    },
    'down',
    undo,
    connection,
  );
  return { done: run.done.map(appliedMigration), failed: run.failed };
}
