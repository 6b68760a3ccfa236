import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Migrator } from 'kysely';
import type { Kysely, Migration as KyselyMigration } from 'kysely';
import { runCheck } from '../src/core/flows/check/run-check.ts';
import type { DialectName } from '../src/core/model/dialect.ts';
import { silentLogger } from '../src/core/model/logger.ts';
import { loadMigrations } from '../src/core/parts/migrations/load-migrations.ts';
import type { Migration } from '../src/core/parts/migrations/migration.ts';
import { openThrowaway } from '../src/core/parts/throwaway/open-throwaway.ts';
import { writeSyntheticHistory } from './synthetic-history.ts';

const run = promisify(execFile);

/** What a pull request adding one migration to a merged history costs, against its floor. */
export interface PrCost {
  readonly historySize: number;
  /** Kysely's migrateToLatest applying the merged history once. */
  readonly applyMs: number;
  /** The new migration's up, down and up again, each in its own transaction, right after. */
  readonly upMs: number;
  readonly downMs: number;
  readonly upAgainMs: number;
  /** `check --base` of the head commit: replays the history, proves the new migration. */
  readonly checkMs: number;
  readonly ok: boolean;
}

/** The migration the pull request adds: a column on `table`, a table of the merged history. */
function newMigration(table: string) {
  return {
    name: '9999_pr_add_note',
    text: `-- migrate:up\nalter table ${table} add column pr_note varchar(50);\n\n-- migrate:down\nalter table ${table} drop column pr_note;\n`,
  };
}

/** A merged history to open a pull request on: how to write it, a table it creates, its dialect. */
export interface MergedHistory {
  write(folder: string, size: number): Promise<void>;
  readonly table: string;
  readonly dialect: DialectName;
}

/** The synthetic bench history (synthetic-history.ts) of a dialect. */
export function syntheticHistory(dialect: DialectName): MergedHistory {
  return { write: (folder, size) => writeSyntheticHistory(folder, size, dialect), table: 't_1', dialect };
}

/**
 * Measures the pull-request case on a Postgres server: a git repository whose base commit
 * holds `size` merged migrations and whose head commit adds one. The floor is what the
 * work itself costs with Kysely alone (apply the history once, then the new migration's up,
 * down and up); `check --base HEAD~1` should stay within 1.3 times that.
 */
export async function measurePrCost(work: string, size: number, serverUrl: string): Promise<PrCost> {
  const repo = join(work, `pr-${size}`);
  const { folder, merged, added } = await writePullRequestRepository(repo, size);
  const floor = await timeKysely(merged, added, serverUrl);
  const started = performance.now();
  const result = await runCheck({
    migrations: folder,
    dialect: 'postgres',
    throwaway: 'server',
    serverUrl,
    mode: 'step',
    base: 'HEAD~1',
    cwd: repo,
    logger: silentLogger,
  });
  const checkMs = performance.now() - started;
  const ok = result.ok && result.migrations.length === 1 && result.replayed.length === size;
  return { historySize: size, ...floor, checkMs, ok };
}

/** A pull request in a repository of its own. */
export interface PullRequestRepository {
  readonly folder: string;
  /** The migrations of the base commit. */
  readonly merged: readonly Migration[];
  /** The one the head commit adds. */
  readonly added: Migration;
}

/**
 * A git repository whose base commit holds `size` merged Postgres migrations and whose head
 * commit (HEAD, base HEAD~1) adds one.
 */
export async function writePullRequestRepository(
  repo: string,
  size: number,
  history: MergedHistory = syntheticHistory('postgres'),
): Promise<PullRequestRepository> {
  const folder = join(repo, 'migrations');
  const added = newMigration(history.table);
  await history.write(folder, size);
  await git(repo, ['init', '--quiet']);
  await git(repo, ['add', '.']);
  await git(repo, ['commit', '--quiet', '-m', 'base']);
  const merged = await loadMigrations({ path: folder, dialect: history.dialect });
  await writeFile(join(folder, `${added.name}.sql`), added.text);
  await git(repo, ['add', '.']);
  await git(repo, ['commit', '--quiet', '-m', 'head']);
  const migrations = await loadMigrations({ path: folder, dialect: history.dialect });
  return { folder, merged, added: migrations.find((migration) => migration.name === added.name)! };
}

async function timeKysely(
  merged: readonly Migration[],
  added: Migration,
  serverUrl: string,
): Promise<Pick<PrCost, 'applyMs' | 'upMs' | 'downMs' | 'upAgainMs'>> {
  const record: Record<string, KyselyMigration> = {};
  for (const migration of merged) record[migration.name] = { up: migration.up };
  await using throwaway = await openThrowaway('server', {
    dialect: 'postgres',
    serverUrl,
    logger: silentLogger,
  });
  const db = throwaway.db;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => record } });
  let started = performance.now();
  const { error } = await migrator.migrateToLatest();
  const applyMs = performance.now() - started;
  if (error !== undefined) throw error;
  const step = async (fn: (db: Kysely<any>) => Promise<void>) => {
    started = performance.now();
    await db.transaction().execute(fn);
    return performance.now() - started;
  };
  const upMs = await step(added.up);
  const downMs = await step(added.down!);
  const upAgainMs = await step(added.up);
  return { applyMs, upMs, downMs, upAgainMs };
}

async function git(cwd: string, args: string[]): Promise<void> {
  await mkdir(cwd, { recursive: true });
  await run(
    'git',
    [
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@example.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd },
  );
}
