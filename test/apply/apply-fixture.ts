import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ApplyRequest } from '../../src/core/flows/apply/apply.ts';
import { runApply } from '../../src/core/flows/apply/apply.ts';
import type { ApplyResult } from '../../src/core/model/apply-result.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { dialectOf, serverUrlOf } from '../support/engines.ts';

/** A folder of migrations a test writes, edits and removes. */
export interface MigrationFolder extends AsyncDisposable {
  /** The folder holding the migrations; `root` (its parent) can hold helpers they import. */
  readonly path: string;
  readonly root: string;
  /** Writes (or overwrites) files; names relative to the migrations folder. */
  write(files: Readonly<Record<string, string>>): Promise<void>;
}

/** Creates an empty {@link MigrationFolder} under the system's temporary directory. */
export async function createMigrationFolder(): Promise<MigrationFolder> {
  const root = await mkdtemp(join(tmpdir(), 'migration-gate-apply-'));
  const path = join(root, 'migrations');
  await import('node:fs/promises').then((fs) => fs.mkdir(path));
  return {
    path,
    root,
    async write(files) {
      for (const [name, text] of Object.entries(files)) await writeFile(join(path, name), text);
    },
    async [Symbol.asyncDispose]() {
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A dbmate-style SQL migration. */
export function sqlMigration(up: string, down: string): string {
  return `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`;
}

/** Three SQL migrations that make two tables and an index. */
export const THREE_MIGRATIONS: Readonly<Record<string, string>> = {
  '0001_create_accounts.sql': sqlMigration(
    'create table accounts (id int primary key, email varchar(100));',
    'drop table accounts;',
  ),
  '0002_create_orders.sql': sqlMigration(
    'create table orders (id int primary key, account_id int);',
    'drop table orders;',
  ),
  '0003_index_orders.sql': sqlMigration(
    'create index idx_orders_account on orders (account_id);',
    'drop index idx_orders_account on orders;',
  ),
};

/** {@link THREE_MIGRATIONS} with the index's down in the engine's own words. */
export function threeMigrations(engine: TestEngine): Record<string, string> {
  if (dialectOf(engine) !== 'postgres') return { ...THREE_MIGRATIONS };
  return {
    ...THREE_MIGRATIONS,
    '0003_index_orders.sql': sqlMigration(
      'create index idx_orders_account on orders (account_id);',
      'drop index idx_orders_account;',
    ),
  };
}

/** Runs `apply` on a scratch throwaway of the engine's server, without backup or waits. */
export function applyTo(
  engine: TestEngine,
  targetUrl: string,
  folder: MigrationFolder,
  overrides: Partial<ApplyRequest> = {},
): Promise<ApplyResult> {
  const serverUrl = serverUrlOf(engine);
  return runApply({
    targetUrl,
    migrations: folder.path,
    cwd: folder.root,
    throwaway: 'server',
    ...(serverUrl === undefined ? {} : { serverUrl }),
    backup: 'none',
    logger: silentLogger,
    backoff: async () => {},
    ...overrides,
  });
}

/** The rows of Kysely's migration table, by name. */
export async function kyselyRows(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

/** The checksum table's rows: name and who applied it. */
export async function checksumRows(db: Kysely<any>): Promise<{ name: string; applied_by: string }[]> {
  const { rows } = await sql<{
    name: string;
    applied_by: string;
  }>`select name, applied_by from migration_gate_checksum order by name`.execute(db);
  return rows;
}
