import type { RiskSeverity } from '../../../model/risk.ts';
import type { DialectName } from '../../../model/dialect.ts';
import type { SchemaDiff } from '../../schema/diff.ts';
import type { SchemaSnapshot } from '../../schema/snapshot.ts';
import type { ObservedFacts } from '../facts/observed-facts.ts';
import type { SqlToken } from '../statement-text.ts';
import type { RiskRuleId } from '../../../model/risk-rule-ids.ts';
import type { PostgresStatementTree } from '../postgres-parser.ts';

/** One statement of the up, read once for every rule. */
export interface ReadStatement {
  /** Its index in the up's captured statements (what a risk's `statement` points at). */
  readonly index: number;
  readonly sql: string;
  readonly tokens: readonly SqlToken[];
  /** Its names and keywords in lower case. */
  readonly words: ReadonlySet<string>;
  /** Postgres: the statement as the server's own parser reads it, when that parser is installed. */
  readonly tree?: PostgresStatementTree;
}

/** Everything a rule may judge from: rules are pure functions of this. */
export interface RiskInput {
  readonly dialect: DialectName;
  /** The statements the first up ran (failed ones left out). */
  readonly statements: readonly ReadStatement[];
  /** The schema before and after the first up, and their difference. */
  readonly before: SchemaSnapshot;
  readonly after: SchemaSnapshot;
  readonly diff: SchemaDiff;
  /** Whether the up ran in one transaction (Postgres, not opted out). */
  readonly transactional: boolean;
  readonly facts: ObservedFacts;
  /** The lock timeout (ms) the project says its deploy sets around every migration, when it does. */
  readonly deployLockTimeoutMs?: number;
}

/** A risk as a rule finds it; the catalog adds the rule's id and severity default. */
export type Finding = {
  readonly what: string;
  readonly statement?: number | undefined;
  readonly evidence: readonly string[];
  /** When the rule's severity depends on what was observed. */
  readonly severity?: RiskSeverity;
  /** When the rule's reason or advice depends on the dialect or the facts. */
  readonly why?: string;
  readonly instead?: string;
};

/** One risk rule: a stable id (acknowledgements name it), where it applies, and its check. */
export interface RiskRule {
  readonly id: RiskRuleId;
  readonly dialects: readonly DialectName[];
  /** The usual severity, documented per rule; a finding may raise or lower it from facts. */
  readonly severity: RiskSeverity;
  readonly why: string;
  readonly instead: string;
  check(input: RiskInput): readonly Finding[];
}
