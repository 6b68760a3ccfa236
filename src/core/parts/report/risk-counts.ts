import type { MigrationResult } from '../../model/migration-result.ts';
import type { RiskSeverity } from '../../model/risk.ts';

/** A migration's risks, counted the way reports show them: acknowledged ones apart. */
export interface RiskCounts {
  /** Risks the migration does not acknowledge: these need a reviewer's look. */
  readonly open: number;
  readonly acknowledged: number;
  /** The worst severity among the open risks, when there is one. */
  readonly worst?: RiskSeverity;
}

/** The risk counts of one migration; undefined when its risks were not judged. */
export function riskCounts(migration: MigrationResult): RiskCounts | undefined {
  if (migration.risks === undefined) return undefined;
  const open = migration.risks.filter((risk) => risk.acknowledged === undefined);
  const worst = open.some((risk) => risk.severity === 'error')
    ? 'error'
    : open.length > 0
      ? 'warning'
      : undefined;
  return {
    open: open.length,
    acknowledged: migration.risks.length - open.length,
    ...(worst === undefined ? {} : { worst }),
  };
}
