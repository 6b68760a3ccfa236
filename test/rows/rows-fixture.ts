import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCheck } from '../../src/core/flows/check/run-check.ts';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import type { DataFinding } from '../../src/core/model/data-finding.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { dialectOf, serverUrlOf } from '../support/engines.ts';

/** A migration written as SQL: its up and its down. */
export interface SqlMigration {
  readonly up: string;
  readonly down: string;
}

/**
 * Writes `migrations` (name → SQL) as dbmate-style files into a fresh folder and runs `check`
 * on them with the engine's own throwaway, as the CLI would; the folder is removed after.
 */
export async function checkSql(
  engine: TestEngine,
  migrations: Readonly<Record<string, SqlMigration>>,
  request: { seedRows?: boolean; seed?: string; files?: Readonly<Record<string, string>> } = {},
): Promise<CheckResult> {
  const folder = await mkdtemp(join(tmpdir(), 'migration-gate-rows-'));
  try {
    await writeFiles(join(folder, 'migrations'), migrations);
    for (const [name, text] of Object.entries(request.files ?? {})) {
      await mkdir(dirname(join(folder, name)), { recursive: true });
      await writeFile(join(folder, name), text);
    }
    const serverUrl = serverUrlOf(engine);
    return await runCheck({
      migrations: 'migrations',
      dialect: dialectOf(engine),
      throwaway: engine === 'pglite' ? 'embedded' : 'server',
      ...(serverUrl === undefined ? {} : { serverUrl }),
      mode: 'step',
      cwd: folder,
      logger: silentLogger,
      ...(request.seedRows === undefined ? {} : { seedRows: request.seedRows }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function writeFiles(folder: string, migrations: Readonly<Record<string, SqlMigration>>): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [name, { up, down }] of Object.entries(migrations))
    await writeFile(join(folder, `${name}.sql`), `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`);
}

/** The data findings of one migration of a check. */
export function findingsOf(check: CheckResult, name: string): readonly DataFinding[] {
  const result = check.migrations.find((migration) => migration.name === name);
  if (result === undefined) throw new Error(`no result for ${name}`);
  return result.dataFindings ?? [];
}
