import type { ChangeFailure } from '../../model/change-failure.ts';
import type { Refusal } from '../../model/refusal.ts';

/** A refusal of apply, rollback or restore for a terminal: its reason, then each detail indented. */
export function refusalLines(refusal: Refusal): string[] {
  return [
    `REFUSED (${refusal.reason}): ${refusal.message}`,
    ...refusal.details.map((detail) => `  ${detail}`),
  ];
}

/** Where a failed change left the target and the way back, indented under the failure's line. */
export function recoveryLines(failure: ChangeFailure): string[] {
  return [`  state: ${failure.state}`, `  recover: ${failure.recovery}`];
}
