import type { MigrationResult } from '../../model/migration-result.ts';
import type { Risk, RiskSeverity } from '../../model/risk.ts';

/** A migration's risks, counted the way reports show them: acknowledged ones and notices apart. */
export interface RiskCounts {
  /** Errors and warnings the migration does not acknowledge: these need a reviewer's look. */
  readonly open: number;
  /** Notices not acknowledged: advice, which never fails the gate. */
  readonly notices: number;
  readonly acknowledged: number;
  /** The worst severity among the open risks, when there is one. */
  readonly worst?: Exclude<RiskSeverity, 'notice'>;
}

/** The risk counts of one migration; undefined when its risks were not judged. */
export function riskCounts(migration: MigrationResult): RiskCounts | undefined {
  if (migration.risks === undefined) return undefined;
  const unacknowledged = migration.risks.filter((risk) => risk.acknowledged === undefined);
  const open = unacknowledged.filter((risk) => risk.severity !== 'notice');
  const worst = open.some((risk) => risk.severity === 'error')
    ? 'error'
    : open.length > 0
      ? 'warning'
      : undefined;
  return {
    open: open.length,
    notices: unacknowledged.length - open.length,
    acknowledged: migration.risks.length - unacknowledged.length,
    ...(worst === undefined ? {} : { worst }),
  };
}

/** The mark reports put before a risk: 🛑 error, ⚠️ warning, ℹ️ notice, ☑️ acknowledged. */
export function riskMark(risk: Pick<Risk, 'severity' | 'acknowledged'>): string {
  if (risk.acknowledged !== undefined) return '☑️';
  return SEVERITY_MARKS[risk.severity];
}

/** The mark of each severity, for the legend and the table. */
export const SEVERITY_MARKS: Readonly<Record<RiskSeverity, string>> = {
  error: '🛑',
  warning: '⚠️',
  notice: 'ℹ️',
};
