import { resolve } from 'node:path';
import { runCheck } from '../../src/core/flows/check/run-check.ts';
import type { CheckResult, ProofMode } from '../../src/core/model/check-result.ts';
import type { MigrationResult } from '../../src/core/model/migration-result.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { dialectOf, serverUrlOf } from '../support/engines.ts';

/** The repository root: file paths in results are relative to it. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The path of a proof fixture folder, relative to the repository root. */
export function proofFixture(name: string): string {
  return `test/fixtures/proof/${name}`;
}

/**
 * Runs `check` on a fixture folder exactly as the CLI would: the engine's own throwaway
 * database (a scratch database on the server, or embedded PGlite). `seedRows: false` proves
 * on empty tables, for fixtures whose data migrations are not written for existing rows.
 */
export function checkFixture(
  engine: TestEngine,
  name: string,
  mode: ProofMode = 'step',
  options: { readonly seedRows?: boolean } = {},
): Promise<CheckResult> {
  const serverUrl = serverUrlOf(engine);
  return runCheck({
    migrations: proofFixture(name),
    dialect: dialectOf(engine),
    throwaway: engine === 'pglite' ? 'embedded' : 'server',
    ...(serverUrl === undefined ? {} : { serverUrl }),
    mode,
    cwd: REPO_ROOT,
    logger: silentLogger,
    ...(options.seedRows === undefined ? {} : { seedRows: options.seedRows }),
  });
}

/** The result of one migration, by name; fails loudly when the run has none. */
export function resultOf(check: CheckResult, name: string): MigrationResult {
  const found = check.migrations.find((result) => result.name === name);
  if (found === undefined) {
    throw new Error(
      `no result for ${name}; the run has ${check.migrations.map((result) => result.name).join(', ')}`,
    );
  }
  return found;
}

/** `name: status` per migration, in order: one readable assertion over a whole run. */
export function verdicts(check: CheckResult): string[] {
  return check.migrations.map((result) => `${result.name}: ${result.status}`);
}
