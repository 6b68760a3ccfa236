import type { Logger } from '../../model/logger.ts';
import { proveMigrations } from '../../parts/proof/prove.ts';
import type { CheckResult } from '../../model/check-result.ts';
import type { Migration } from '../../parts/migrations/migration.ts';
import type { StatementRecorder } from '../../parts/plan/statement-recorder.ts';
import { createSnapshotter } from '../../parts/schema/create-snapshotter.ts';
import type { ThrowawayDatabase } from '../../parts/throwaway/throwaway.ts';
import { replayRefusal } from '../../parts/target/refusals.ts';
import { emittedSqlChecksum, emitsSql } from '../../parts/target/emitted-sql.ts';
import type { ApplyRefusal, PlannedUp } from '../../model/apply-result.ts';
import { optional } from '../../model/optional.ts';
import type { Outcome } from '../../model/outcome.ts';
import { replayCapturing } from '../../parts/target/throwaway-replay.ts';

/** What {@link pendingEmittedSql} needs. */
export interface PendingSqlOptions {
  /** Prove the pending migrations, or only dry-run their ups. */
  readonly requireReversible: boolean;
  readonly logger: Logger;
  readonly cwd: string;
  /** Holding the target's applied migrations (the guards replayed them); none: nothing to do. */
  readonly throwaway: ThrowawayDatabase | undefined;
  readonly migrations: readonly Migration[];
  readonly applied: readonly string[];
  readonly pending: readonly Migration[];
  /** Fed by the throwaway's log hook: the proof's capture, and the dry run's. */
  readonly proofRecorder: StatementRecorder;
  readonly replayRecorder: StatementRecorder;
  readonly excludeTables: readonly string[];
}

/**
 * What {@link pendingEmittedSql} found: the SQL checksums and each pending up as rehearsed (a
 * dry run's plan), or why apply refuses; the proof, when it ran, either way.
 */
export type PendingSql = Outcome<
  {
    readonly emitted: ReadonlyMap<string, string>;
    readonly planned: readonly PlannedUp[];
    readonly proof?: CheckResult;
  },
  { readonly refusal: ApplyRefusal; readonly proof?: CheckResult }
>;

/**
 * The SQL checksum of each pending TypeScript migration, taken on the throwaway: by the proof
 * (which also refuses an unproven migration), or, with the proof turned off, by running the
 * pending ups after the applied ones — a dry run that also refuses an up that fails.
 */
export async function pendingEmittedSql({
  requireReversible,
  logger,
  cwd,
  throwaway,
  migrations,
  applied,
  pending,
  proofRecorder,
  replayRecorder,
  excludeTables,
}: PendingSqlOptions): Promise<PendingSql> {
  const emitted = new Map<string, string>();
  if (throwaway === undefined || pending.length === 0) {
    // No throwaway: SQL files applied unguarded, and no dry run to show their statements.
    return { ok: true, emitted, planned: pending.map((m) => ({ name: m.name, statements: [] })) };
  }
  if (requireReversible) {
    const byName = new Map(migrations.map((m) => [m.name, m]));
    const pendingNames = new Set(pending.map((m) => m.name));
    await throwaway.reset();
    const proof = await proveMigrations({
      migrations: [...applied.flatMap((name) => byName.get(name) ?? []), ...pending],
      throwaway,
      snapshotter: createSnapshotter(throwaway.dialect),
      recorder: proofRecorder,
      excludeTables,
      isUnderProof: (migration) => pendingNames.has(migration.name),
      logger,
      cwd,
      mode: 'step',
    });
    if (!proof.ok) {
      const failed = [
        ...proof.migrations.filter((m) => m.status !== 'reversible' && m.status !== 'declared-irreversible'),
        ...proof.replayed.filter((m) => m.status === 'error'),
      ];
      return {
        ok: false,
        proof,
        refusal: {
          reason: 'proof',
          message: `${failed.length} pending migration(s) failed the proof on the throwaway: nothing applied`,
          details: failed.map((m) => `${m.name}: ${m.message ?? m.status}`),
        },
      };
    }
    for (const result of proof.migrations) {
      const migration = byName.get(result.name);
      if (migration !== undefined && emitsSql(migration))
        emitted.set(result.name, emittedSqlChecksum(result.statements?.up ?? []));
    }
    const planned = proof.migrations.map((result) => ({
      name: result.name,
      statements: result.statements?.up ?? [],
      ...optional('risks', result.risks),
    }));
    return { ok: true, emitted, planned, proof };
  }
  try {
    // The guards left the throwaway holding the applied migrations.
    const captured = await replayCapturing(throwaway, pending, replayRecorder);
    for (const migration of pending.filter(emitsSql))
      emitted.set(migration.name, emittedSqlChecksum(captured.get(migration.name) ?? []));
    const planned = pending.map((m) => ({ name: m.name, statements: captured.get(m.name) ?? [] }));
    return { ok: true, emitted, planned };
  } catch (error) {
    return {
      ok: false,
      refusal: replayRefusal(error, 'a pending migration fails on the throwaway database: nothing applied'),
    };
  }
}
