import type { Kysely } from 'kysely';
import { messageOf } from '../../model/errors.ts';
import { InFlight, isWatchedQuery } from './in-flight.ts';
import { catchingLateFaults } from './late-faults.ts';
import type { MigrationStep } from './migration.ts';

/**
 * A migration's code failed after the fact: it returned while queries it started were still
 * running (a missing `await`), or something it started threw or rejected once it had returned.
 * Judged as the step failing, with what happened in the message.
 */
export class LateMigrationError extends Error {
  override readonly name = 'LateMigrationError';
}

/**
 * Runs `code` as one step of a migration (`label`: "down of 0002_views") such that nothing it
 * leaves behind escapes: queries it did not await are waited for before the step ends (so none
 * runs into the next step) and make the step fail, naming how many there were; a rejection or
 * exception it causes late fails the step instead of the process.
 */
export function guardedStep(label: string, code: (db: Kysely<any>) => unknown): MigrationStep {
  return async (db: Kysely<any>) => {
    const inFlight = new InFlight();
    const { result, late } = await catchingLateFaults(async () => {
      try {
        await code(inFlight.watch(db));
      } catch (error) {
        // What it threw is the failure; its queries still finish before anything else runs.
        await inFlight.settle();
        throw error;
      }
      if (inFlight.pending > 0) await throwIfUnawaited(label, inFlight);
    }, isWatchedQuery);
    if (result.status === 'rejected') throw result.reason;
    if (late.length > 0) {
      throw new LateMigrationError(
        `${label} raised an error after it returned: ${late.map(messageOf).join('; ')}`,
        { cause: late[0] },
      );
    }
  };
}

async function throwIfUnawaited(label: string, inFlight: InFlight): Promise<void> {
  const count = inFlight.pending;
  const failures = await inFlight.settle();
  const then = failures.length === 0 ? '' : ` (then: ${messageOf(failures[0])})`;
  throw new LateMigrationError(
    `${label} returned before ${count} of its statements ran: a missing await?${then}`,
  );
}
