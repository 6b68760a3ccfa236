import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError, messageOf } from '../../model/errors.ts';
import type { RiskSeverity } from '../../model/risk.ts';
import { RISK_SEVERITIES } from '../../model/risk.ts';
import { isRiskRuleId } from '../../model/risk-rule-ids.ts';
import type { RiskRuleId } from '../../model/risk-rule-ids.ts';
import type { RiskSettings } from '../../model/risk-settings.ts';
import { duration } from './value-parsers.ts';

/** The project's configuration file, read from the working directory by the CLI and the action alike. */
export const PROJECT_CONFIG_FILE = 'migration-gate.config.json';

/** What migration-gate.config.json holds: the rule settings, and the seed of the data-aware proof. */
export interface ProjectConfig extends RiskSettings {
  /** The project's seed (a .sql file, a module exporting seed(db), or a folder), absolute. */
  readonly seed?: string;
}

/**
 * Reads migration-gate.config.json in `cwd`: `rules` maps a rule id to `off` or a severity,
 * `lockTimeout` (a duration such as `5s`) is the lock timeout the project's deploys set
 * (`apply` uses it when `--lock-timeout` is not given, and `lock-timeout-missing` counts it),
 * and `seed` (a path from `cwd`) is the project's own rows for the data-aware proof.
 * No file means no settings; a malformed one is a usage error naming the file, so a typo
 * never silently leaves a rule on.
 */
export async function readProjectConfig(cwd: string): Promise<ProjectConfig> {
  const file = join(cwd, PROJECT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read ${PROJECT_CONFIG_FILE}: ${messageOf(error)}`, { file, cause: error });
  }
  const fail = (message: string): never => {
    throw new UsageError(`${PROJECT_CONFIG_FILE}: ${message}`, { file });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON: ${messageOf(error)}`);
  }
  if (!isRecord(parsed)) return fail('must hold a JSON object');
  const unknown = Object.keys(parsed).filter(
    (key) => key !== 'rules' && key !== 'lockTimeout' && key !== 'seed' && key !== '$schema',
  );
  if (unknown.length > 0) fail(`unknown setting ${unknown.join(', ')} (known: rules, lockTimeout, seed)`);
  const rules: Partial<Record<RiskRuleId, RiskSeverity | 'off'>> = {};
  if (parsed['rules'] !== undefined) {
    if (!isRecord(parsed['rules'])) fail('rules must map rule ids to off, error, warning or notice');
    for (const [id, value] of Object.entries(parsed['rules'] as Record<string, unknown>)) {
      if (!isRiskRuleId(id)) fail(`rules: unknown rule ${id} (see docs/rules/README.md for the ids)`);
      if (value !== 'off' && !RISK_SEVERITIES.includes(value as RiskSeverity))
        fail(`rules: ${id} must be off, error, warning or notice, not ${JSON.stringify(value)}`);
      rules[id as RiskRuleId] = value as RiskSeverity | 'off';
    }
  }
  const lockTimeout = parsed['lockTimeout'];
  if (lockTimeout !== undefined && typeof lockTimeout !== 'string' && typeof lockTimeout !== 'number')
    fail('lockTimeout must be a duration such as 5s or 5000 (ms)');
  const seed = parsed['seed'];
  if (seed !== undefined && (typeof seed !== 'string' || seed === ''))
    fail('seed must be the path of a .sql file, a module exporting seed(db), or a folder of them');
  return {
    ...(seed === undefined ? {} : { seed: resolve(cwd, seed as string) }),
    ...(Object.keys(rules).length === 0 ? {} : { rules }),
    ...(lockTimeout === undefined ? {} : { lockTimeoutMs: durationIn(String(lockTimeout), file) }),
  };
}

function durationIn(text: string, file: string): number {
  try {
    return duration(text, 'lockTimeout');
  } catch (error) {
    throw new UsageError(`${PROJECT_CONFIG_FILE}: ${messageOf(error)}`, { file, cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
