import type { CapturedStatement } from '../../model/captured-statement.ts';
import { runStep } from '../migrations/run-step.ts';
import { withoutScratchNames } from '../throwaway/scratch-name.ts';
import { redactSecrets } from '../database/redaction.ts';
import { messageOf } from '../../model/errors.ts';
import type { Migration } from '../migrations/migration.ts';
import type { StatementRecorder } from '../plan/statement-recorder.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';

/**
 * Runs the ups of `migrations` in order on the throwaway's current database and returns the
 * statements each sent (seen by `recorder`, which the throwaway's log hook feeds). Throws,
 * naming the migration, when an up fails: the history itself is broken.
 */
export async function replayCapturing(
  throwaway: ThrowawayDatabase,
  migrations: readonly Migration[],
  recorder: StatementRecorder,
): Promise<Map<string, CapturedStatement[]>> {
  const captured = new Map<string, CapturedStatement[]>();
  for (const migration of migrations) {
    let statements: CapturedStatement[] = [];
    // Started and stopped right around the up's own code, as the proof does, so BEGIN and
    // COMMIT are never part of it and both captures of a migration compare equal.
    const outcome = await runStep(throwaway.db, throwaway.dialect, migration, 'up', {
      beforeStep: async () => {},
      stepStarted: () => recorder.start(),
      stepEnded: () => {
        statements = recorder.stop();
      },
      afterStep: async () => {},
    });
    captured.set(migration.name, statements);
    if (!outcome.ok) {
      const reason = withoutScratchNames(redactSecrets(messageOf(outcome.error)));
      throw new Error(`up of ${migration.name} failed on the throwaway database: ${reason}`);
    }
  }
  return captured;
}
