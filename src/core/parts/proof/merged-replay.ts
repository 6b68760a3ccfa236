import { messageOf } from '../../model/errors.ts';
import type { ReplayResult } from '../../model/migration-result.ts';
import type { Migration } from '../migrations/migration.ts';
import { replayBatches, runBatch } from '../migrations/replay-batch.ts';
import type { ProofContext } from './proof-context.ts';

/**
 * Replays merged migrations once, without proof nor tracker, in as few transactions as
 * correct (see replay-batch.ts). A failure is reported against its migration, and the run
 * goes on without it.
 */
export async function replayMerged(
  context: ProofContext,
  migrations: readonly Migration[],
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  // A long merged history takes a while and proves nothing by itself: say how much.
  const started = performance.now();
  context.options.logger.info(`replaying ${migrations.length} merged migration(s)...`);
  for (const batch of replayBatches(context.dialect, migrations))
    results.push(...(await replayBatch(context, batch)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  context.options.logger.info(`replayed ${migrations.length} merged migration(s) in ${seconds} s`);
  return results;
}

async function replayBatch(context: ProofContext, batch: readonly Migration[]): Promise<ReplayResult[]> {
  if (batch.length === 1) return [await replayOne(context, batch[0]!)];
  const outcome = await runBatch(context.options.throwaway.db, batch);
  if (outcome.ok) {
    context.applied.push(...batch);
    return batch.map((migration, index) => ({
      name: migration.name,
      file: context.fileOf(migration),
      status: 'applied',
      durationMs: outcome.ms[index]!,
    }));
  }
  // Rolled back whole. The ones before the failure are replayed again, then each suspect
  // alone, in its own transaction, as it runs without batches: sharing one transaction can
  // make a migration fail that passes alone (e.g. using an enum value a previous one added).
  const { from, to } = outcome;
  const results = from > 0 ? await replayBatch(context, batch.slice(0, from)) : [];
  for (const suspect of batch.slice(from, to)) results.push(await replayOne(context, suspect));
  if (to < batch.length) results.push(...(await replayBatch(context, batch.slice(to))));
  return results;
}

/** Replays one migration in its own step; a failure is reported and the run goes on. */
async function replayOne(context: ProofContext, migration: Migration): Promise<ReplayResult> {
  const outcome = await context.runUntracked(migration, 'up');
  const base = { name: migration.name, file: context.fileOf(migration), durationMs: outcome.ms };
  if (outcome.ok) return { ...base, status: 'applied' };
  const failed = context.failure(migration, 'error', 'up failed on replay', outcome.error, {});
  if (!context.rolledBack(migration, outcome)) await context.restore([...context.applied]);
  return {
    ...base,
    status: 'error',
    message: failed.message ?? messageOf(outcome.error),
    ...(failed.line === undefined ? {} : { line: failed.line }),
  };
}
