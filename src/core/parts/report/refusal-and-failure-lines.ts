import type { ChangeFailure } from '../../model/change-failure.ts';
import type { Problem } from '../../model/outcome.ts';
import type { Refusal } from '../../model/refusal.ts';

/** A refusal of apply, rollback or restore for a terminal: its reason, then each detail indented. */
export function refusalLines(refusal: Refusal): string[] {
  return problemLines(`REFUSED (${refusal.reason})`, refusal);
}

/** A problem for a terminal under its label: the message, then each detail indented. */
export function problemLines(label: string, problem: Problem): string[] {
  return [`${label}: ${problem.message}`, ...problem.details.map((detail) => `  ${detail}`)];
}

/** Where a failed change left the target and the way back, indented under the failure's line. */
export function recoveryLines(failure: ChangeFailure): string[] {
  return [`  state: ${failure.state}`, `  recover: ${failure.recovery}`];
}
