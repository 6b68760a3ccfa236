/**
 * When a check fails its gate, the same for the CLI's `--fail-on` and the action's `fail-on`.
 * `error`: a migration fails the proof, a merged migration fails to replay, the history is
 * edited, or a risk of severity error is not acknowledged. `warning`: also an unacknowledged
 * warning. `never`: report only.
 */
export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Both shells' default: the step and the command fail on errors, not on warnings. */
export const DEFAULT_FAIL_ON: FailOn = 'error';
