import { bookkeepingTables } from '../../parts/migrations/bookkeeping-tables.ts';
import type { Kysely } from 'kysely';
import type { ConnectionTarget } from '../../parts/database/connection-url.ts';
import { openDatabase } from '../../parts/database/connect.ts';
import { UsageError } from '../../model/errors.ts';
import { optional } from '../../model/optional.ts';
import type { Migration } from '../../parts/migrations/migration.ts';
import { StatementRecorder } from '../../parts/plan/statement-recorder.ts';
import {
  DEFAULT_MIGRATION_TABLE,
  assertWritableMigrationTable,
  readAppliedMigrations,
} from '../../parts/target/applied-migrations.ts';
import { backupBeforeChange, describeBackupChoice } from '../../parts/backup/backup-step.ts';
import type { BackupChoice } from '../../parts/backup/backup-step.ts';
import { ensureChecksumTable, readChecksums, writeChecksum } from '../../parts/target/checksum-table.ts';
import { emitsSql } from '../../parts/target/emitted-sql.ts';
import { describeFailure } from '../../parts/target/failure-report.ts';
import { changeStepLine } from '../../parts/report/apply-report.ts';
import { pendingEmittedSql } from './pending-sql.ts';
import { migrationsToApply } from './apply-goal.ts';
import { guardRefusal, lockRefusal, replayRefusal } from '../../parts/target/refusals.ts';
import { halfAppliedRefusal } from '../../parts/target/half-applied.ts';
import { readProgress } from '../../parts/target/progress-table.ts';
import { withMigrationLock } from '../../parts/target/kysely-lock.ts';
import type { HeldLock } from '../../parts/target/kysely-lock.ts';
import type { AppliedMigration, ApplyResult } from '../../model/apply-result.ts';
import { DEFAULT_LOCK_WAIT_MS } from '../../parts/target/session-limits.ts';
import type { SessionLimits } from '../../parts/target/session-limits.ts';
import { readProjectConfig } from '../../parts/options/project-config.ts';
import { guardTarget } from '../../parts/target/target-guards.ts';
import { targetAndMigrations } from '../../parts/target/target-migrations.ts';
import type { StepFailure, TransactionMode } from '../../parts/target/target-run.ts';
import { appliedMigration, migrateTarget } from '../../parts/target/target-migrator.ts';
import type { TargetThrowawayOptions } from '../../parts/target/target-throwaway.ts';
import { openTargetThrowaway } from '../../parts/target/target-throwaway.ts';

/** Everything `apply` needs; both shells build one of these from their inputs. */
export interface ApplyRequest extends TargetThrowawayOptions {
  /** The database to migrate; credentials included, never printed. */
  readonly targetUrl: string;
  /** Folder or index module; when absent, kysely-ctl's configuration, else `./migrations`. */
  /** An empty migrations folder passes instead of failing. */
  readonly allowEmpty?: boolean;
  readonly migrations?: string;
  readonly cwd: string;
  /** Kysely's migration table (its lock table is `<table>_lock`). */
  readonly migrationTable?: string;
  /** Apply although the target's schema differs from its migrations. */
  readonly allowDrift?: boolean;
  /** Prove pending migrations reversible on the throwaway first (default true). */
  readonly requireReversible?: boolean;
  /** The verified backup taken before the first change, or `none`, said explicitly. */
  readonly backup: BackupChoice;
  readonly limits?: SessionLimits;
  /** Recorded as who applied each migration (e.g. a CI run id); default `migration-gate`. */
  readonly appliedBy?: string;
  /** Attempts per migration on lock timeout, and the wait between them (tests inject it). */
  readonly attempts?: number;
  readonly backoff?: (attempt: number) => Promise<void>;
  /** One transaction per migration (default), or one for the whole run. */
  readonly transaction?: TransactionMode;
  /** Apply the pending migrations up to and including this one only. */
  readonly to?: string;
  /** Run the guards and rehearse on the throwaway, then stop: the target is only read. */
  readonly dryRun?: boolean;
}

/**
 * Applies the pending migrations to the target, all under one hold of Kysely's lock (waited
 * for at most lock-wait, its holder named): a migration stopped half-way refused first, then
 * the guards (checksums of applied migrations, drift, the proof of pending ones on a
 * throwaway), the backup, and the pending migrations. A dry run only reads, without the lock,
 * and stops before the backup, with the plan.
 * Refusals and failures are values; only usage and environment errors (bad URL, unreachable
 * target) throw.
 */
export async function runApply(request: ApplyRequest): Promise<ApplyResult> {
  const started = performance.now();
  // The lock timeout the project declares for its deploys, unless --lock-timeout overrides it:
  // read first, so a malformed configuration stops the run before anything changes.
  const { lockTimeoutMs } = await readProjectConfig(request.cwd);
  const limits: SessionLimits = { ...optional('lockTimeoutMs', lockTimeoutMs), ...request.limits };
  const { target, migrations } = await targetAndMigrations(request);
  if (request.transaction === 'all' && target.dialect !== 'postgres') {
    throw new UsageError(
      'transaction all needs transactional DDL: MySQL and MariaDB commit each DDL statement on its own',
    );
  }
  const targetRecorder = new StatementRecorder();
  const { db, serverVersion } = await openDatabase(target, { log: (event) => targetRecorder.observe(event) });
  try {
    const table = request.migrationTable ?? DEFAULT_MIGRATION_TABLE;
    const excludeTables = bookkeepingTables(table);
    await assertWritableMigrationTable(db, target.dialect, table);
    const finish = (result: Omit<ApplyResult, 'durationMs'>): ApplyResult => ({
      ...result,
      durationMs: Math.round(performance.now() - started),
    });
    // Everything from reading the target's state to the last migration happens under Kysely's
    // lock (a dry run only reads, without it): a second apply waits for it, naming the holder,
    // instead of judging or backing up a target the first one is changing.
    const onTarget = async (lock: HeldLock | undefined): Promise<ApplyResult> => {
      const applied = await readAppliedMigrations(db, target.dialect, table);
      const stored = await readChecksums(db, target.dialect);
      const appliedSet = new Set(applied);
      const allPending = migrations.filter((migration) => !appliedSet.has(migration.name));
      const pending = migrationsToApply(allPending, applied, request.to);
      if (request.transaction === 'all') checkOneTransactionHolds(pending);
      const base = {
        dialect: target.dialect,
        database: target.display,
        applied: [] as string[],
        pendingCount: allPending.length,
        current: applied.at(-1),
        migrations: [] as AppliedMigration[],
        ...(request.dryRun === true ? { dryRun: true as const } : {}),
      };
      request.logger.info(
        `target ${target.display}: ${applied.length} applied, ${allPending.length} pending` +
          (request.to === undefined ? '' : `, ${pending.length} to apply up to ${request.to}`),
      );
      // Before any guard: a migration stopped half-way would show only as drift, unnamed.
      const halfApplied = halfAppliedRefusal(
        await readProgress(db, target.dialect),
        applied,
        table,
        'nothing applied',
      );
      if (halfApplied !== undefined) {
        return finish({
          ...base,
          ok: false,
          outcome: 'refused',
          adopted: [],
          checksumMismatches: [],
          refusal: halfApplied,
        });
      }

      const replayRecorder = new StatementRecorder();
      const proofRecorder = new StatementRecorder();
      await using throwaway = needsThrowaway(request, migrations)
        ? await openTargetThrowaway(request, target.dialect, (event) => {
            replayRecorder.observe(event);
            proofRecorder.observe(event);
          })
        : undefined;

      let guards;
      try {
        guards = await guardTarget({
          db,
          applied,
          migrations,
          stored,
          throwaway,
          recorder: replayRecorder,
          excludeTables,
          checkDrift: request.allowDrift !== true,
        });
      } catch (error) {
        return finish({
          ...base,
          ok: false,
          outcome: 'refused',
          adopted: [],
          checksumMismatches: [],
          refusal: replayRefusal(error),
        });
      }
      const { checksums, drift } = guards;
      const reported = {
        ...base,
        adopted: checksums.adopted,
        checksumMismatches: checksums.mismatches,
        ...(drift === undefined ? {} : { drift }),
      };
      const refusal = guardRefusal(reported.checksumMismatches, drift, 'nothing applied');
      if (refusal !== undefined) return finish({ ...reported, ok: false, outcome: 'refused', refusal });

      const pendingSql = await pendingEmittedSql({
        requireReversible: request.requireReversible !== false,
        logger: request.logger,
        cwd: request.cwd,
        throwaway,
        migrations,
        applied,
        pending,
        proofRecorder,
        replayRecorder,
        excludeTables,
      });
      const proofPart = optional('proof', pendingSql.proof);
      if (!pendingSql.ok) {
        return finish({
          ...reported,
          ok: false,
          outcome: 'refused',
          refusal: pendingSql.refusal,
          ...proofPart,
        });
      }

      if (request.dryRun === true) {
        return finish({
          ...reported,
          ...proofPart,
          ok: true,
          outcome: pending.length === 0 ? 'up-to-date' : 'planned',
          plan: pendingSql.planned,
          plannedBackup:
            pending.length === 0 ? 'none: nothing to apply' : describeBackupChoice(request.backup),
        });
      }
      const planned = new Map(
        pendingSql.planned.map((up) => [up.name, up.statements.map((statement) => statement.sql)]),
      );
      // Only a dry run goes without the lock, and it returned above.
      const held = lock as HeldLock;
      const backedUp =
        pending.length === 0
          ? { ok: true as const }
          : await backupBeforeChange(request.backup, target, request.logger, 'nothing applied');
      if (!backedUp.ok) {
        return finish({
          ...reported,
          ...proofPart,
          ok: false,
          outcome: 'refused',
          refusal: backedUp.refusal,
        });
      }
      const backup = backedUp.backup;
      const backupPart = optional('backup', backup);

      await ensureChecksumTable(db, target.dialect);
      await adopt(db, checksums.adopted, migrations, guards.emitted);
      const run = await applyPending(
        { ...request, limits },
        planned,
        backup?.path,
        db,
        await held.claim(),
        target,
        serverVersion,
        migrations,
        pending,
        pendingSql.emitted,
        targetRecorder,
      );
      const after = await readAppliedMigrations(db, target.dialect, table);
      const afterSet = new Set(after);
      const failure =
        run.failed === undefined
          ? undefined
          : describeFailure(run.failed, applied.at(-1), backup?.path, run.wholeRunUndone === true, {
              planned: planned.get(run.failed.name) ?? [],
              migrationTable: table,
            });
      return finish({
        ...reported,
        ...proofPart,
        ...backupPart,
        ok: failure === undefined,
        outcome: failure !== undefined ? 'failed' : run.applied.length === 0 ? 'up-to-date' : 'applied',
        applied: run.applied.map((step) => step.name),
        migrations: run.applied,
        pendingCount: migrations.filter((m) => !afterSet.has(m.name)).length,
        current: after.at(-1),
        ...(failure === undefined ? {} : { failure }),
      });
    };
    if (request.dryRun === true) return await onTarget(undefined);
    const locked = await withMigrationLock(
      db,
      target.dialect,
      { waitMs: limits.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, logger: request.logger },
      onTarget,
    );
    if (locked.ok) return locked.value;
    const applied = await readAppliedMigrations(db, target.dialect, table);
    const appliedSet = new Set(applied);
    return finish({
      ok: false,
      outcome: 'refused',
      dialect: target.dialect,
      database: target.display,
      applied: [],
      pendingCount: migrations.filter((migration) => !appliedSet.has(migration.name)).length,
      current: applied.at(-1),
      migrations: [],
      adopted: [],
      checksumMismatches: [],
      refusal: lockRefusal(locked, 'nothing applied'),
    });
  } finally {
    await db.destroy();
  }
}

/**
 * `transaction: all` holds only where DDL is transactional (checked first) and every pending
 * migration runs inside a transaction; else it would promise all-or-nothing and break it, so
 * it is refused before anything is changed.
 */
function checkOneTransactionHolds(pending: readonly Migration[]): void {
  const outside = pending.find((migration) => !migration.transactional);
  if (outside !== undefined) {
    throw new UsageError(
      `transaction all cannot hold ${outside.name}: it runs outside a transaction (such as CREATE INDEX CONCURRENTLY)`,
      { file: outside.source.path },
    );
  }
}

/**
 * The throwaway is needed to compare drift, to prove, to capture the SQL TypeScript
 * migrations emit, and to rehearse a dry run; a history of SQL files applied without either
 * guard does without it.
 */
function needsThrowaway(request: ApplyRequest, migrations: readonly Migration[]): boolean {
  return (
    request.dryRun === true ||
    request.allowDrift !== true ||
    request.requireReversible !== false ||
    migrations.some(emitsSql)
  );
}

/** Records checksums for migrations Kysely's Migrator applied alone, so later runs can guard them. */
async function adopt(
  db: Kysely<any>,
  names: readonly string[],
  migrations: readonly Migration[],
  emitted: ReadonlyMap<string, string>,
): Promise<void> {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const name of names) {
    const migration = byName.get(name);
    if (migration === undefined) continue;
    await writeChecksum(db, {
      name,
      sourceChecksum: migration.checksum,
      sqlChecksum: emitted.get(name) ?? null,
      appliedAt: new Date().toISOString(),
      appliedBy: 'adopted',
    });
  }
}

/**
 * Runs the pending migrations on `connection`, which holds Kysely's lock, each in its own transaction
 * where the engine allows, stopping at the first failure.
 */
async function applyPending(
  request: ApplyRequest,
  plannedStatements: ReadonlyMap<string, readonly string[]>,
  backupPath: string | undefined,
  db: Kysely<any>,
  connection: Kysely<any>,
  target: ConnectionTarget,
  serverVersion: string,
  migrations: readonly Migration[],
  pending: readonly Migration[],
  sqlChecksums: ReadonlyMap<string, string>,
  recorder: StatementRecorder,
): Promise<{ applied: AppliedMigration[]; failed: StepFailure | undefined; wholeRunUndone?: boolean }> {
  const run = await migrateTarget(
    {
      db,
      dialect: target.dialect,
      mariadb: /mariadb/i.test(serverVersion),
      migrations,
      recorder,
      limits: request.limits ?? {},
      sqlChecksums,
      plannedStatements,
      ...optional('backupPath', backupPath),
      appliedBy: request.appliedBy ?? 'migration-gate',
      ...(request.migrationTable === undefined ? {} : { migrationTable: request.migrationTable }),
      ...(request.attempts === undefined ? {} : { attempts: request.attempts }),
      ...(request.backoff === undefined ? {} : { backoff: request.backoff }),
      ...(request.transaction === undefined ? {} : { transaction: request.transaction }),
      onStep: (step) => request.logger.info(changeStepLine('applied', step)),
    },
    'up',
    pending,
    connection,
  );
  return {
    applied: run.done.map(appliedMigration),
    failed: run.failed,
    ...(run.wholeRunUndone === undefined ? {} : { wholeRunUndone: run.wholeRunUndone }),
  };
}
