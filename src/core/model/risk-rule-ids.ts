/**
 * The ids of every risk rule: stable, since migrations acknowledge risks by id and reports
 * link to them. Kept apart from the rules, without imports, so the migration loader can
 * refuse an acknowledgement of an unknown id without loading the rules.
 */
export const RISK_RULE_IDS = [
  'drop-table',
  'drop-column',
  'truncate-table',
  'rename-table',
  'rename-column',
  'change-column-type',
  'set-not-null',
  'add-not-null-column-without-default',
  'create-index-blocking',
  'add-constraint-without-not-valid',
  'volatile-default-rewrite',
  'table-rewrite',
  'mysql-copy-algorithm',
  'mysql-inplace-lock',
  'mysql-instant-row-versions',
  'ddl-and-data-in-one-transaction',
  'enum-value-change',
  'constraint-builds-index',
  'drop-index-blocking',
  'drop-and-recreate',
  'rename-schema',
  'delete-without-where',
  'update-without-where',
  'foreign-key-without-index',
  'drop-table-without-if-exists',
  'lock-timeout-missing',
  'prefer-bigint-keys',
  'prefer-identity',
  'prefer-text',
  'prefer-timestamptz',
  'prefer-jsonb',
  'server-default-collation',
] as const;

/** The id of a risk rule. */
export type RiskRuleId = (typeof RISK_RULE_IDS)[number];

/** Whether `id` names a risk rule. */
export function isRiskRuleId(id: string): id is RiskRuleId {
  return (RISK_RULE_IDS as readonly string[]).includes(id);
}
