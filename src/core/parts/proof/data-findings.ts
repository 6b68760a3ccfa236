import { redactSecrets } from '../database/redaction.ts';
import type { DataFinding } from '../../model/data-finding.ts';
import type { DialectName } from '../../model/dialect.ts';
import { messageOf } from '../../model/errors.ts';
import { optional } from '../../model/optional.ts';
import type { Risk } from '../../model/risk.ts';
import type { Direction } from '../migrations/run-step.ts';
import { refusalOf } from '../rows/refused-by-rows.ts';
import type { RowLoss } from '../rows/round-trip.ts';
import { withoutScratchNames } from '../throwaway/scratch-name.ts';

/**
 * `fails-on-existing-rows`: the step failed with rows in the tables and passed on the same
 * schema without them. Severity error: production has rows.
 */
export function failsOnExistingRows(
  migration: string,
  direction: Direction,
  error: unknown,
  dialect: DialectName,
  statement: string | undefined,
): DataFinding {
  const refusal = refusalOf(error, dialect, statement);
  return {
    id: 'fails-on-existing-rows',
    severity: 'error',
    direction,
    what: `${direction} of ${migration} fails when the tables hold rows (it passes on empty tables)`,
    ...optional('rows', refusal?.rows),
    ...optional('statement', statement),
    error: withoutScratchNames(redactSecrets(messageOf(error))),
    instead:
      refusal?.instead ??
      'make the step work on the rows production holds: clean or backfill them first, in their own step',
  };
}

/** `down-loses-rows`: what up then down did not bring back of the rows present before the up. */
export function downLosesRows(migration: string, losses: readonly RowLoss[]): DataFinding[] {
  return losses.map((loss) => ({
    id: 'down-loses-rows',
    severity: 'warning',
    direction: 'down',
    what:
      loss.column === undefined
        ? `down of ${migration} does not bring back ${loss.lost} of ${loss.of} rows of ${loss.table}`
        : `down of ${migration} does not bring back ${loss.table}.${loss.column}: ${loss.lost} of ${loss.of} values lost`,
    instead:
      'keep what the up removes (a copy of the column or table) until the change is final so the down can put it back, or declare the migration irreversible',
  }));
}

/**
 * The up's data-loss risks with what they destroyed on the throwaway's rows, counted beside
 * their evidence: "12 of 12 rows held a value in users.bio". A loss with no risk (a rename
 * the snapshot saw as a drop) is not shown.
 */
export function withDropCounts(
  risks: readonly Risk[] | undefined,
  dropped: readonly RowLoss[],
): Risk[] | undefined {
  if (risks === undefined || dropped.length === 0) return risks === undefined ? undefined : [...risks];
  return risks.map((risk) => {
    const counts = dropped.flatMap((loss) => {
      if (loss.column === undefined)
        return risk.rule === 'drop-table' && risk.what === `drops table ${loss.table}`
          ? [`${loss.lost} seeded row(s) of ${loss.table} lost on the throwaway`]
          : [];
      return risk.rule === 'drop-column' && risk.what === `drops column ${loss.table}.${loss.column}`
        ? [
            `${loss.lost} of ${loss.of} seeded row(s) held a value in ${loss.table}.${loss.column}, lost on the throwaway`,
          ]
        : [];
    });
    return counts.length === 0 ? risk : { ...risk, evidence: [...(risk.evidence ?? []), ...counts] };
  });
}
