import type { ChecksumMismatch } from '../../model/checksum-mismatch.ts';
import type { ApplyRefusal } from '../../model/apply-result.ts';
import type { LockRefused } from './kysely-lock.ts';

/**
 * Another session held Kysely's migration lock for the whole wait: say who, so that the
 * holder can be found (another deploy, Kysely's Migrator, a session a killed run left).
 */
export function lockRefusal(refused: LockRefused, consequence: string): ApplyRefusal {
  return {
    reason: 'locked',
    message: `another session holds Kysely's migration lock (another apply or rollback, or Kysely's Migrator); waited ${Math.round(refused.waitedMs / 1000)} s (lock-wait): ${consequence}`,
    details: [`held by ${refused.holder}`],
  };
}

/** A replay on the throwaway failed: the history cannot be trusted to do what it did. */
export function replayRefusal(
  error: unknown,
  message = "the target's applied migrations cannot be replayed on the throwaway database",
): ApplyRefusal {
  return { reason: 'replay', message, details: [error instanceof Error ? error.message : String(error)] };
}

/**
 * The guards' verdict as a refusal, or undefined when the target may be changed: an edited
 * applied migration first (its down may not undo what ran), then drift. `consequence` ends
 * the message (`nothing applied`).
 */
export function guardRefusal(
  mismatches: readonly ChecksumMismatch[],
  drift: readonly string[] | undefined,
  consequence: string,
): ApplyRefusal | undefined {
  if (mismatches.length > 0) {
    return {
      reason: 'checksum',
      message: `${mismatches.length} applied migration(s) differ from what was applied (${mismatches.map((m) => m.name).join(', ')}): ${consequence}`,
      details: mismatches.map((m) => m.message),
    };
  }
  if (drift !== undefined && drift.length > 0) {
    return {
      reason: 'drift',
      message: `the target's schema differs from its applied migrations (allow drift to go on anyway): ${consequence}`,
      details: drift,
    };
  }
  return undefined;
}
