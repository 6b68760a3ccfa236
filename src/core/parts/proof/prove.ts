import { sameSnapshot } from '../schema/snapshot.ts';
import type { ProofOptions } from './proof-context.ts';
import { ProofContext } from './proof-context.ts';
import type { CheckResult, CheckSummary, ProofMode } from '../../model/check-result.ts';
import type { MigrationResult, ReplayResult } from '../../model/migration-result.ts';
import { MIGRATION_STATUSES, PASSING_STATUSES } from '../../model/migration-result.ts';
import { proveAsSequence } from './sequence-proof.ts';
import { proveStepByStep } from './step-proof.ts';

/**
 * Proves the migrations reversible on the throwaway database and returns a result per
 * migration: expected failures are values, not exceptions.
 */
export async function proveMigrations(options: ProofOptions & { mode: ProofMode }): Promise<CheckResult> {
  const started = performance.now();
  let outcome = await proveOnce(worthTracking(options) ? options : withoutTracker(options));
  if (outcome.trackingDisagreed) {
    // Scoped snapshots are an optimisation; a verdict must never depend on them.
    options.logger.warn('scoped snapshots disagreed with a full snapshot; proving again with full snapshots');
    await options.throwaway.reset();
    outcome = await proveOnce(withoutTracker(options));
  }
  const { migrations, replayed } = outcome;
  return {
    ok:
      migrations.every((result) => PASSING_STATUSES.has(result.status)) &&
      migrations.every(
        (result) => !(result.dataFindings ?? []).some((finding) => finding.severity === 'error'),
      ) &&
      replayed.every((result) => result.status === 'applied'),
    mode: options.mode,
    dialect: options.throwaway.dialect,
    database: options.throwaway.description,
    migrations,
    replayed,
    summary: summarize(migrations, replayed),
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * Whether scoped snapshots win back what the tracker costs. Installing the Postgres one (event
 * triggers, and the owner of every object remembered) and checking its last snapshot against
 * a full one cost about four full snapshots, more than the three a single migration under
 * proof needs (a pull request adding one migration to a long history); MySQL's costs nothing.
 */
function worthTracking(options: ProofOptions): boolean {
  return (
    options.throwaway.dialect !== 'postgres' || options.migrations.filter(options.isUnderProof).length > 1
  );
}

function withoutTracker(options: ProofOptions & { mode: ProofMode }): ProofOptions & { mode: ProofMode } {
  const { tracker: _unused, ...untracked } = options;
  return untracked;
}

async function proveOnce(
  options: ProofOptions & { mode: ProofMode },
): Promise<{ migrations: MigrationResult[]; replayed: ReplayResult[]; trackingDisagreed: boolean }> {
  const context = new ProofContext(options);
  context.startTracking();
  if (options.mode === 'sequence') return { ...(await proveAsSequence(context)), trackingDisagreed: false };
  const { migrations, replayed, final } = await proveStepByStep(context);
  const seedFailure = context.rows?.userSeedFailure;
  if (seedFailure !== undefined) options.logger.warn(`the seed never ran on the throwaway: ${seedFailure}`);
  // The last snapshot was built from scoped re-reads: check it against the whole catalog once.
  const trackingDisagreed =
    options.tracker !== undefined && final !== undefined && !sameSnapshot(final, await context.snapshot());
  return { migrations, replayed, trackingDisagreed };
}

function summarize(migrations: readonly MigrationResult[], replayed: readonly ReplayResult[]): CheckSummary {
  const counts = Object.fromEntries(MIGRATION_STATUSES.map((status) => [status, 0])) as Record<
    (typeof MIGRATION_STATUSES)[number],
    number
  >;
  for (const result of migrations) counts[result.status] += 1;
  return { ...counts, proven: migrations.length, replayed: replayed.length };
}
