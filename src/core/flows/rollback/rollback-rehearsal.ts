import type { CapturedStatement } from '../../model/captured-statement.ts';
import { runStep } from '../../parts/migrations/run-step.ts';
import { withoutScratchNames } from '../../parts/throwaway/scratch-name.ts';
import { redactSecrets } from '../../parts/database/redaction.ts';
import { messageOf } from '../../model/errors.ts';
import type { Migration } from '../../parts/migrations/migration.ts';
import type { StatementRecorder } from '../../parts/plan/statement-recorder.ts';
import { describeChange, diffSnapshots } from '../../parts/schema/diff.ts';
import type { SchemaSnapshotter } from '../../parts/schema/snapshotter.ts';
import { replayedSchema } from '../../parts/target/target-drift.ts';
import type { ThrowawayDatabase } from '../../parts/throwaway/throwaway.ts';
import type { PlannedDown } from '../../model/rollback-result.ts';

/** The rehearsal's findings: the downs' SQL, and why the rollback must not run, if it must not. */
export interface Rehearsal {
  readonly plan: PlannedDown[];
  readonly problems: string[];
}

/**
 * Runs the downs of `undo` (newest first) on the throwaway, which holds the target's applied
 * migrations, capturing their SQL; then proves they left exactly the schema the migrations that
 * stay make (those replayed on a fresh database). A down that fails or leaves a residue is a
 * problem: the rollback is refused before the target is touched.
 */
export async function rehearseRollback(
  throwaway: ThrowawayDatabase,
  undo: readonly Migration[],
  remaining: readonly Migration[],
  recorder: StatementRecorder,
  snapshotter: SchemaSnapshotter,
  excludeTables: readonly string[],
): Promise<Rehearsal> {
  const plan: PlannedDown[] = [];
  for (const migration of undo) {
    let statements: CapturedStatement[] = [];
    const outcome = await runStep(throwaway.db, throwaway.dialect, migration, 'down', {
      beforeStep: async () => {},
      stepStarted: () => recorder.start(),
      stepEnded: () => {
        statements = recorder.stop();
      },
      afterStep: async () => {},
    });
    plan.push({ name: migration.name, statements });
    if (!outcome.ok) {
      const reason = withoutScratchNames(redactSecrets(messageOf(outcome.error)));
      return { plan, problems: [`the down of ${migration.name} fails on the throwaway database: ${reason}`] };
    }
  }
  const after = await snapshotter.take(throwaway.db, { excludeTables });
  const expected = await replayedSchema(throwaway, remaining, snapshotter, excludeTables);
  const residue = diffSnapshots(expected, after).changes.map(
    (change) => `after the downs, ${describeChange(change)} compared with the migrations that stay`,
  );
  return { plan, problems: residue };
}
