import { runStep } from '../migrations/run-step.ts';
import { withoutScratchNames } from '../throwaway/scratch-name.ts';
import { redactSecrets } from '../database/redaction.ts';
import { messageOf } from '../../model/errors.ts';
import type { Migration } from '../migrations/migration.ts';
import { describeChange, diffSnapshots } from '../schema/diff.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { SchemaSnapshotter } from '../schema/snapshotter.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';

/**
 * What the schema should be after `applied`: the throwaway database, emptied, with their ups
 * run in that order. Throws, naming the migration, when an up fails.
 */
export async function replayedSchema(
  throwaway: ThrowawayDatabase,
  applied: readonly Migration[],
  snapshotter: SchemaSnapshotter,
  excludeTables: readonly string[],
): Promise<SchemaSnapshot> {
  await throwaway.reset();
  for (const migration of applied) {
    const outcome = await runStep(throwaway.db, throwaway.dialect, migration, 'up');
    if (!outcome.ok) {
      const reason = withoutScratchNames(redactSecrets(messageOf(outcome.error)));
      throw new Error(`up of ${migration.name} failed when replaying the target's migrations: ${reason}`);
    }
  }
  return snapshotter.take(throwaway.db, { excludeTables });
}

/**
 * How the target's schema differs from what its migrations make, in words that read from the
 * target's side: `column users.nickname was added on the target`. Empty when it does not drift.
 */
export function describeDrift(expected: SchemaSnapshot, target: SchemaSnapshot): string[] {
  return diffSnapshots(expected, target).changes.map((change) => `${describeChange(change)} on the target`);
}
