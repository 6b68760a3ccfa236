import type { Risk } from '../../../model/risk.ts';
import { addConstraintWithoutNotValid } from './add-constraint-without-not-valid.ts';
import { addNotNullColumnWithoutDefault } from './add-not-null-column.ts';
import { changeColumnType } from './change-column-type.ts';
import { createIndexBlocking } from './create-index-blocking.ts';
import { dropColumn, dropTable, truncateTable } from './data-loss.ts';
import { ddlAndDataInOneTransaction } from './ddl-and-data.ts';
import { enumValueChange } from './enum-value-change.ts';
import { mysqlCopyAlgorithm, mysqlInplaceLock } from './mysql-algorithm.ts';
import { renameColumn, renameTable } from './rename.ts';
import type { RiskInput, RiskRule } from './rule.ts';
import { setNotNull } from './set-not-null.ts';
import { tableRewrite } from './table-rewrite.ts';
import { volatileDefaultRewrite } from './volatile-default-rewrite.ts';

/** Every risk rule, in the order their risks are listed. */
export const RISK_RULES: readonly RiskRule[] = [
  dropTable,
  dropColumn,
  truncateTable,
  renameTable,
  renameColumn,
  changeColumnType,
  setNotNull,
  addNotNullColumnWithoutDefault,
  createIndexBlocking,
  addConstraintWithoutNotValid,
  volatileDefaultRewrite,
  tableRewrite,
  mysqlCopyAlgorithm,
  mysqlInplaceLock,
  ddlAndDataInOneTransaction,
  enumValueChange,
];

/**
 * The risks of one up: every rule of the dialect, with the migration's acknowledgements
 * (rule id -> reason) put on the risks they name.
 */
export function findRisks(input: RiskInput, acknowledged: ReadonlyMap<string, string>): Risk[] {
  return RISK_RULES.filter((rule) => rule.dialects.includes(input.dialect)).flatMap((rule) =>
    rule.check(input).map((finding): Risk => {
      const reason = acknowledged.get(rule.id);
      return {
        rule: rule.id,
        severity: finding.severity ?? rule.severity,
        what: finding.what,
        why: finding.why ?? rule.why,
        instead: finding.instead ?? rule.instead,
        ...(finding.statement === undefined ? {} : { statement: finding.statement }),
        ...(finding.evidence.length === 0 ? {} : { evidence: finding.evidence }),
        ...(reason === undefined ? {} : { acknowledged: reason }),
      };
    }),
  );
}
