import { sql } from 'kysely';
import type { Direction } from '../migrations/run-step.ts';
import type { Migration } from '../migrations/migration.ts';
import { isLockTimeout } from './session-limits.ts';
import type { StepFailure, StepRecord, TargetRun } from './target-run.ts';
import type { Ran, TargetSession } from './target-step.ts';
import { beginSql, bookkeepingSql, runBody, stepRecord, transactionView } from './target-step.ts';
import { stoppingWhenInterrupted } from './interrupt-guard.ts';

/**
 * Runs every migration of the run in one transaction, as Kysely's own Migrator does on
 * Postgres (Flyway's `group`, Atlas's `--tx-mode all`): all of them or none, and one commit
 * instead of one per migration. The caller makes sure the engine has transactional DDL and no
 * migration opted out. A lock timeout retries the whole run, since it left nothing behind.
 */
export async function runInOneTransaction(
  session: TargetSession,
  direction: Direction,
  todo: readonly Migration[],
): Promise<TargetRun> {
  const { connection, options } = session;
  const attempts = options.attempts ?? 3;
  const backoff =
    options.backoff ?? ((attempt) => new Promise((done) => setTimeout(done, 500 * 2 ** attempt)));
  for (let attempt = 1; ; attempt += 1) {
    const done: StepRecord[] = [];
    let failed: StepFailure | undefined;
    try {
      await beginSql(session).execute(connection);
      for (const migration of todo) {
        const run = await runBody(
          session,
          direction,
          migration,
          transactionView(stoppingWhenInterrupted(connection)),
        );
        if (!run.ok) {
          failed = { ...stepOf(migration, direction, attempt, run), error: run.error };
          break;
        }
        try {
          await sql.join(bookkeepingSql(session, direction, migration), sql`; `).execute(connection);
        } catch (error) {
          failed = { ...stepOf(migration, direction, attempt, run), error };
          break;
        }
        done.push(stepOf(migration, direction, attempt, run));
      }
      if (failed === undefined) {
        await sql`commit`.execute(connection);
        for (const step of done) options.onStep?.(step);
        return { done };
      }
    } catch (error) {
      // BEGIN or COMMIT refused: the migration it stopped at is the one to name.
      const at = todo[Math.min(done.length, todo.length - 1)]!;
      failed ??= { ...stepOf(at, direction, attempt, { statements: [], ms: 0 }), error };
    }
    await sql`rollback`.execute(connection).catch(() => {});
    if (!isLockTimeout(failed.error) || attempt >= attempts)
      return { done: [], failed, wholeRunUndone: true };
    await backoff(attempt);
  }
}

function stepOf(migration: Migration, direction: Direction, attempt: number, run: Ran): StepRecord {
  return stepRecord(migration, direction, attempt, run, true);
}
