import { UsageError } from '../../model/errors.ts';
import { isRiskRuleId, RISK_RULE_IDS } from '../../model/risk-rule-ids.ts';
import { displayPath } from './display-path.ts';

/**
 * Reads a module's `export const acknowledge = { 'drop-column': 'reason', ... }`: the risks
 * it takes on purpose. Throws a {@link UsageError} naming the file for anything else than
 * known rule ids with non-empty reasons, so a typo never silently acknowledges nothing.
 */
export function moduleAcknowledgements(
  value: unknown,
  where: { readonly description: string; readonly file: string },
): Map<string, string> {
  const acknowledged = new Map<string, string>();
  if (value === undefined) return acknowledged;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      `${where.description}: acknowledge must be an object of risk rule ids and reasons, e.g. { 'drop-column': 'unused since v2.3' }`,
      { file: where.file },
    );
  }
  for (const [rule, reason] of Object.entries(value)) {
    const problem = problemWith(rule, reason);
    if (problem !== undefined) throw new UsageError(`${where.description}: ${problem}`, { file: where.file });
    acknowledged.set(rule, String(reason).trim());
  }
  return acknowledged;
}

const ACKNOWLEDGE = /^[ \t]*--[ \t]*migration-gate:acknowledge\b[ \t]*(\S*)[ \t]*(.*?)[ \t]*\r?$/gm;

/**
 * Reads the `-- migration-gate:acknowledge <rule-id> <reason>` lines of a SQL migration's
 * files (path -> text). Throws a {@link UsageError} naming the file and line for an unknown
 * rule id or a missing reason.
 */
export function sqlAcknowledgements(texts: ReadonlyMap<string, string>): Map<string, string> {
  const acknowledged = new Map<string, string>();
  for (const [file, text] of texts) {
    for (const match of text.matchAll(ACKNOWLEDGE)) {
      const [, rule = '', reason = ''] = match;
      const problem = problemWith(rule, reason);
      if (problem !== undefined) {
        const line = text.slice(0, match.index).split('\n').length;
        throw new UsageError(`${displayPath(file)}:${line}: ${problem}`, { file, line });
      }
      acknowledged.set(rule, reason);
    }
  }
  return acknowledged;
}

function problemWith(rule: string, reason: unknown): string | undefined {
  if (!isRiskRuleId(rule)) {
    const named = rule === '' ? 'no risk rule' : `unknown risk rule ${rule}`;
    return `acknowledges ${named}; the rules are ${RISK_RULE_IDS.join(', ')}`;
  }
  if (typeof reason !== 'string' || reason.trim() === '')
    return `acknowledges ${rule} without a reason; say why the risk is taken on purpose`;
  return undefined;
}
