import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCheck } from '../../src/core/flows/check/run-check.ts';
import type { CheckResult, ProofMode } from '../../src/core/model/check-result.ts';
import type { Risk } from '../../src/core/model/risk.ts';
import type { RiskSettings } from '../../src/core/model/risk-settings.ts';
import type { RiskRuleId } from '../../src/core/model/risk-rule-ids.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { REPO_ROOT, resultOf } from '../check/check-fixture.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { dialectOf, serverUrlOf } from '../support/engines.ts';

/** Runs `check` on a folder as the CLI would, on the engine's own throwaway database. */
export function checkFolder(
  engine: TestEngine,
  folder: string,
  mode: ProofMode = 'step',
  riskSettings: RiskSettings = {},
): Promise<CheckResult> {
  const serverUrl = serverUrlOf(engine);
  return runCheck({
    migrations: folder,
    dialect: dialectOf(engine),
    throwaway: engine === 'pglite' ? 'embedded' : 'server',
    ...(serverUrl === undefined ? {} : { serverUrl }),
    mode,
    riskSettings,
    cwd: REPO_ROOT,
    logger: silentLogger,
  });
}

/**
 * The rules of issue 16 turned off, the way a project turns rules off in
 * migration-gate.config.json: several of them (timeouts, type advice) judge a whole migration
 * and fire on most fixture migrations, so a fixture that shows the earlier rules one at a
 * time runs without them; they have a fixture of their own.
 */
export const ONE_RULE_AT_A_TIME: RiskSettings = {
  rules: Object.fromEntries(
    (
      [
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
      ] satisfies RiskRuleId[]
    ).map((id) => [id, 'off']),
  ),
};

/** The path of a plan fixture folder, relative to the repository root. */
export function planFixture(name: string): string {
  return `test/fixtures/plan/${name}`;
}

/** A temporary folder of migration files (name -> text), removed on disposal. */
export async function migrationFolder(
  files: Readonly<Record<string, string>>,
): Promise<AsyncDisposable & { readonly path: string }> {
  const path = await mkdtemp(join(tmpdir(), 'migration-gate-plan-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(path, name)), { recursive: true });
    await writeFile(join(path, name), text);
  }
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** The risks found on one migration of a run. */
export function risksOf(check: CheckResult, name: string): readonly Risk[] {
  return resultOf(check, name).risks ?? [];
}

/** The risks of one rule on one migration. */
export function risksOfRule(check: CheckResult, name: string, rule: string): readonly Risk[] {
  return risksOf(check, name).filter((risk) => risk.rule === rule);
}
