import type { ChecksumMismatch } from '../../model/checksum-mismatch.ts';
import type { ApplyRefusal } from '../../model/apply-result.ts';

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
