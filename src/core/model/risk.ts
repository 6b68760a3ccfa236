/**
 * How bad a risk is. `error`: loses data or blocks a busy table for long (fails the gate
 * with `fail-on: error`); `warning`: worth a look (fails it with `fail-on: warning`);
 * `notice`: advice, such as a better column type, that never fails the gate.
 */
export type RiskSeverity = 'error' | 'warning' | 'notice';

/** Every severity, worst first. */
export const RISK_SEVERITIES: readonly RiskSeverity[] = ['error', 'warning', 'notice'];

/** A risky operation a migration performs, found by one rule. */
export interface Risk {
  /** The rule's stable id (e.g. `create-index-blocking`); acknowledgements name it. */
  readonly rule: string;
  readonly severity: RiskSeverity;
  /** What the migration does, e.g. "drops column users.email". */
  readonly what: string;
  /** Why it is risky, in one line. */
  readonly why: string;
  /** The safer way to do it, in one line. */
  readonly instead: string;
  /** Index of the statement to blame in the up's captured statements, when there is one. */
  readonly statement?: number;
  /** Facts observed on the throwaway database that show it (e.g. "rewrote table orders"). */
  readonly evidence?: readonly string[];
  /** The migration's reason, when it acknowledges this risk on purpose. */
  readonly acknowledged?: string;
}
