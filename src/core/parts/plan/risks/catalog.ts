import type { Risk } from '../../../model/risk.ts';
import type { RiskSettings } from '../../../model/risk-settings.ts';
import { addConstraintWithoutNotValid } from './add-constraint-without-not-valid.ts';
import { addNotNullColumnWithoutDefault } from './add-not-null-column.ts';
import { changeColumnType } from './change-column-type.ts';
import { createIndexBlocking } from './create-index-blocking.ts';
import { dropColumn, dropTable, truncateTable } from './data-loss.ts';
import { ddlAndDataInOneTransaction } from './ddl-and-data.ts';
import { enumValueChange } from './enum-value-change.ts';
import { mysqlCopyAlgorithm, mysqlInplaceLock } from './mysql-algorithm.ts';
import { mysqlInstantRowVersions } from './mysql-instant-row-versions.ts';
import { renameColumn, renameTable } from './rename.ts';
import type { RiskInput, RiskRule } from './rule.ts';
import { setNotNull } from './set-not-null.ts';
import { tableRewrite } from './table-rewrite.ts';
import { volatileDefaultRewrite } from './volatile-default-rewrite.ts';
import { constraintBuildsIndex } from './constraint-builds-index.ts';
import { dropIndexBlocking } from './drop-index-blocking.ts';
import { dropAndRecreate } from './drop-and-recreate.ts';
import { renameSchema } from './rename-schema.ts';
import { deleteWithoutWhere, updateWithoutWhere } from './without-where.ts';
import { foreignKeyWithoutIndex } from './foreign-key-without-index.ts';
import { dropTableWithoutIfExists } from './drop-table-without-if-exists.ts';
import { lockTimeoutMissing } from './lock-timeout-missing.ts';
import { preferBigintKeys } from './prefer-bigint-keys.ts';
import { preferIdentity } from './prefer-identity.ts';
import { preferText } from './prefer-text.ts';
import { preferTimestamptz } from './prefer-timestamptz.ts';
import { preferJsonb } from './prefer-jsonb.ts';
import { serverDefaultCollation } from './server-default-collation.ts';

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
  mysqlInstantRowVersions,
  ddlAndDataInOneTransaction,
  enumValueChange,
  constraintBuildsIndex,
  dropIndexBlocking,
  dropAndRecreate,
  renameSchema,
  deleteWithoutWhere,
  updateWithoutWhere,
  foreignKeyWithoutIndex,
  dropTableWithoutIfExists,
  lockTimeoutMissing,
  preferBigintKeys,
  preferIdentity,
  preferText,
  preferTimestamptz,
  preferJsonb,
  serverDefaultCollation,
];

/**
 * The risks of one up: every rule of the dialect that the project did not turn off, with the
 * project's severity where it sets one, and the migration's acknowledgements (rule id ->
 * reason) put on the risks they name.
 */
export function findRisks(
  input: RiskInput,
  acknowledged: ReadonlyMap<string, string>,
  settings: RiskSettings = {},
): Risk[] {
  return RISK_RULES.filter(
    (rule) => rule.dialects.includes(input.dialect) && settings.rules?.[rule.id] !== 'off',
  ).flatMap((rule) =>
    rule.check(input).map((finding): Risk => {
      const reason = acknowledged.get(rule.id);
      const setting = settings.rules?.[rule.id];
      return {
        rule: rule.id,
        severity: setting === undefined || setting === 'off' ? (finding.severity ?? rule.severity) : setting,
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
