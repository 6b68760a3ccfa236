import type { PlannedUp } from '../../model/apply-result.ts';
import type { PlannedDown } from '../../model/rollback-result.ts';
import type { RuleDocs } from './rule-docs.ts';
import { riskLines } from './text-report.ts';

/** The downs a rollback runs, newest first, each with the SQL its rehearsal sent. */
export function downPlanLines(plan: readonly PlannedDown[]): string[] {
  return plan.flatMap((down) => [`plan: down of ${down.name}`, ...down.statements.map((s) => `  ${s.sql}`)]);
}

/**
 * The ups a dry run of apply would run, each with its rehearsed SQL and the risks found; a
 * rule's page is named where the shell says where the pages are.
 */
export function upPlanLines(plan: readonly PlannedUp[], ruleDocs: RuleDocs = () => undefined): string[] {
  return plan.flatMap((up) => [
    `plan: up of ${up.name}`,
    ...up.statements.map((s) => `  ${s.sql}`),
    ...(up.risks ?? []).flatMap((risk) => riskLines(risk, ruleDocs)),
  ]);
}
