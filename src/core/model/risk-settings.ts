import type { RiskSeverity } from './risk.ts';
import type { RiskRuleId } from './risk-rule-ids.ts';

/**
 * How a project tunes the risk rules for all its migrations (migration-gate.config.json):
 * a rule turned off, or reported with another severity. Beside it, a migration's own
 * acknowledgements still mark single risks as taken on purpose.
 */
export interface RiskSettings {
  /** Per rule id: `off`, or the severity its risks are reported with. */
  readonly rules?: Readonly<Partial<Record<RiskRuleId, RiskSeverity | 'off'>>>;
  /**
   * The lock timeout, in milliseconds, that the deploy sets around every migration (`apply
   * --lock-timeout`): check cannot see a later command's flags, so the project says it here.
   */
  readonly lockTimeoutMs?: number;
}
