import { sameSnapshot } from '../schema/snapshot.ts';
import type { ProofOptions } from './proof-context.ts';
import { ProofContext } from './proof-context.ts';
import type { CheckResult, CheckSummary, MigrationResult, ProofMode, ReplayResult } from './result.ts';
import { MIGRATION_STATUSES, PASSING_STATUSES } from './result.ts';
import { proveAsSequence } from './sequence-proof.ts';
import { proveStepByStep } from './step-proof.ts';

/**
 * Proves the migrations reversible on the throwaway database and returns a result per
 * migration: expected failures are values, not exceptions.
 */
export async function proveMigrations(options: ProofOptions & { mode: ProofMode }): Promise<CheckResult> {
  const started = performance.now();
  let outcome = await proveOnce(options);
  if (outcome.trackingDisagreed) {
    // Scoped snapshots are an optimisation; a verdict must never depend on them.
    options.logger.warn('scoped snapshots disagreed with a full snapshot; proving again with full snapshots');
    await options.throwaway.reset();
    const { tracker: _unused, ...untracked } = options;
    outcome = await proveOnce(untracked);
  }
  const { migrations, replayed } = outcome;
  return {
    ok:
      migrations.every((result) => PASSING_STATUSES.has(result.status)) &&
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

async function proveOnce(
  options: ProofOptions & { mode: ProofMode },
): Promise<{ migrations: MigrationResult[]; replayed: ReplayResult[]; trackingDisagreed: boolean }> {
  const context = new ProofContext(options);
  await context.startTracking();
  if (options.mode === 'sequence') return { ...(await proveAsSequence(context)), trackingDisagreed: false };
  const { migrations, replayed, final } = await proveStepByStep(context);
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
