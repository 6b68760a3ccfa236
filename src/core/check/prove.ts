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
  const context = new ProofContext(options);
  const { migrations, replayed } =
    options.mode === 'step' ? await proveStepByStep(context) : await proveAsSequence(context);
  const summary = summarize(migrations, replayed);
  return {
    ok:
      migrations.every((result) => PASSING_STATUSES.has(result.status)) &&
      replayed.every((result) => result.status === 'applied'),
    mode: options.mode,
    dialect: options.throwaway.dialect,
    database: options.throwaway.description,
    migrations,
    replayed,
    summary,
    durationMs: Math.round(performance.now() - started),
  };
}

function summarize(migrations: readonly MigrationResult[], replayed: readonly ReplayResult[]): CheckSummary {
  const counts = Object.fromEntries(MIGRATION_STATUSES.map((status) => [status, 0])) as Record<
    (typeof MIGRATION_STATUSES)[number],
    number
  >;
  for (const result of migrations) counts[result.status] += 1;
  return { ...counts, proven: migrations.length, replayed: replayed.length };
}
