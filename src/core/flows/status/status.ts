import { readChecksums } from '../../parts/target/checksum-table.ts';
import { bookkeepingTables } from '../../parts/migrations/bookkeeping-tables.ts';
import { guardTarget } from '../../parts/target/target-guards.ts';
import { targetAndMigrations } from '../../parts/target/target-migrations.ts';
import type { TargetThrowawayOptions } from '../../parts/target/target-throwaway.ts';
import { openTargetThrowaway } from '../../parts/target/target-throwaway.ts';
import { StatementRecorder } from '../../parts/plan/statement-recorder.ts';
import { DEFAULT_MIGRATION_TABLE, readAppliedRows } from '../../parts/target/applied-migrations.ts';
import { optional } from '../../model/optional.ts';
import { withReadOnlySession } from '../../parts/target/read-only-target.ts';
import type { StatusResult } from '../../model/status-result.ts';
import { readProgress } from '../../parts/target/progress-table.ts';
import { halfAppliedRefusal } from '../../parts/target/half-applied.ts';

/** Everything `status` needs. */
export interface StatusRequest extends TargetThrowawayOptions {
  /** The database to read; credentials included, never printed. */
  readonly targetUrl: string;
  /** Folder or index module; when absent, kysely-ctl's configuration, else `./migrations`. */
  /** An empty migrations folder passes instead of failing. */
  readonly allowEmpty?: boolean;
  readonly migrations?: string;
  readonly cwd: string;
  /** Kysely's migration table (its lock table is `<table>_lock`). */
  readonly migrationTable?: string;
  /** A pending migration makes the status not ok, for scripts that must know. */
  readonly failOnPending?: boolean;
}

/**
 * Tells what the target applied, what is pending, which migration stopped half-way, which
 * applied migrations no longer match their files, and how its schema drifted, by the same guards `apply` runs. Only reads the
 * target, through a read-only session.
 */
export async function runStatus(request: StatusRequest): Promise<StatusResult> {
  const { target, migrations } = await targetAndMigrations(request);
  const recorder = new StatementRecorder();
  await using throwaway = await openTargetThrowaway(request, target.dialect, (event) =>
    recorder.observe(event),
  );
  const table = request.migrationTable ?? DEFAULT_MIGRATION_TABLE;
  // Awaited here: the throwaway must outlive the session that replays on it.
  return await withReadOnlySession(target, async (session) => {
    const rows = await readAppliedRows(session.db, session.dialect, table);
    const applied = rows.map((row) => row.name);
    const appliedAt = new Map(rows.map((row) => [row.name, row.timestamp]));
    const stored = await readChecksums(session.db, session.dialect);
    const halfApplied = halfAppliedRefusal(
      await readProgress(session.db, session.dialect),
      applied,
      table,
      'apply and rollback refuse until then',
    );
    const guards = await guardTarget({
      db: session.db,
      applied,
      migrations,
      stored,
      throwaway,
      recorder,
      excludeTables: bookkeepingTables(table),
      checkDrift: true,
    });
    const appliedSet = new Set(applied);
    const known = new Set(migrations.map((migration) => migration.name));
    const unknown = applied.filter((name) => !known.has(name));
    const drift = guards.drift ?? [];
    const mismatches = guards.checksums.mismatches.filter((m) => !m.changed.includes('missing-file'));
    const pending = migrations.map((m) => m.name).filter((name) => !appliedSet.has(name));
    const failOnPending = request.failOnPending === true;
    const last = rows.at(-1);
    return {
      ok:
        mismatches.length === 0 &&
        drift.length === 0 &&
        unknown.length === 0 &&
        halfApplied === undefined &&
        !(failOnPending && pending.length > 0),
      dialect: target.dialect,
      database: session.description,
      applied,
      pending,
      total: migrations.length,
      migrations: migrations.map(({ name }) => {
        const at = appliedAt.get(name);
        return at === undefined
          ? { name, state: 'pending' as const }
          : { name, state: 'applied' as const, appliedAt: at };
      }),
      ...optional('lastApplied', last && { name: last.name, appliedAt: last.timestamp }),
      ...(failOnPending ? { failOnPending: true as const } : {}),
      unknown,
      unrecorded: guards.checksums.adopted,
      checksumMismatches: mismatches,
      drift,
      ...optional(
        'halfApplied',
        halfApplied && { message: halfApplied.message, details: halfApplied.details },
      ),
    };
  });
}
