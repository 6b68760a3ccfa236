import { open } from 'node:fs/promises';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { withDatabase } from '../database/connection-url.ts';
import type { ConnectionTarget } from '../database/connection-url.ts';
import { messageOf } from '../../model/errors.ts';
import type { BackupManifest } from '../../model/backup-record.ts';
import type { Logger } from '../../model/logger.ts';
import { failed } from '../../model/outcome.ts';
import type { Outcome } from '../../model/outcome.ts';
import { createSnapshotter } from '../schema/create-snapshotter.ts';
import { openThrowaway } from '../throwaway/open-throwaway.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';
import { sha256Of } from './backup-files.ts';
import type { ChosenTool } from './backup-tool.ts';
import { describeCountDifferences } from './compare-restored.ts';
import { createBackupEngine } from './create-backup-engine.ts';
import { asDumpedAndRestored } from './dump-equivalence.ts';
import { lastLines } from './take-backup.ts';

/** What {@link restoreBySwap} needs. */
export interface SwapRestoreOptions {
  readonly logger: Logger;
  readonly tool: ChosenTool;
  readonly secrets: readonly string[];
  readonly toolTimeoutMs?: number;
}

/** Words every failure before the swap carries: the restore flow tells the target's state from them. */
export const NOTHING_CHANGED = 'nothing was changed: the backup was loaded into a scratch database first';

/**
 * Restores a MySQL/MariaDB dump so that the target is never left worse than it was: the dump is
 * loaded into a scratch database on the target's server and checked against its manifest (row
 * counts, schema); only then are the tables swapped in with one RENAME TABLE, which the server
 * runs atomically: the target's tables of the same names go to a holding database (dropped
 * afterwards), the scratch database's tables take their place. A failure or an interrupt before
 * the swap leaves the target untouched; tables created after the backup stay, as they do on
 * Postgres. Views, triggers, routines and events cannot move between databases with a rename,
 * so a backup holding any is refused, before anything changes, with a clear message.
 */
export async function restoreBySwap(
  backupPath: string,
  target: ConnectionTarget & { readonly database: string },
  manifest: BackupManifest,
  options: SwapRestoreOptions,
): Promise<Outcome> {
  const serverUrl = target.url.href;
  await using scratch = await openThrowaway('server', {
    dialect: 'mysql',
    logger: options.logger,
    serverUrl,
  });
  const scratchName = await databaseName(scratch.db);
  const loaded = await load(backupPath, withDatabase(target, scratchName), scratch, options);
  if (!loaded.ok) return loaded;
  const problems = await differencesFromManifest(scratch.db, manifest);
  if (problems.length > 0) {
    return failed(
      `the backup loaded into ${scratch.description} differs from its manifest (${NOTHING_CHANGED})`,
      problems,
    );
  }
  const views = await viewsOf(scratch.db, scratchName, target.database);
  const unmovable = await objectsBesideTables(scratch.db);
  if (unmovable.length > 0) {
    return failed(
      `the backup holds ${unmovable.join(', ')}, which cannot be swapped into ${target.display} in one atomic step (${NOTHING_CHANGED})`,
      ['restore it by hand into a copy of the database, or drop those objects from the backup'],
    );
  }
  const tables = await tablesOf(scratch.db);
  const staying = await keysIntoSwapped(scratch.db, target.database, tables);
  if (staying.length > 0) {
    return failed(
      `tables of ${target.display} that are not in the backup have foreign keys to tables the restore replaces (${NOTHING_CHANGED})`,
      [
        ...staying,
        'a swap would leave those keys pointing at the replaced tables: drop the keys (or the tables) first',
      ],
    );
  }
  await using holding = await openThrowaway('server', {
    dialect: 'mysql',
    logger: options.logger,
    serverUrl,
  });
  const holdingName = await databaseName(holding.db);
  const replaced = new Set(await tablesOf(holding.db, target.database));
  const renames = tables.flatMap((table) => [
    ...(replaced.has(table) ? [sql`${sql.id(target.database, table)} to ${sql.id(holdingName, table)}`] : []),
    sql`${sql.id(scratchName, table)} to ${sql.id(target.database, table)}`,
  ]);
  options.logger.info(
    `swapping ${tables.length} restored table(s) into ${target.display} in one RENAME TABLE`,
  );
  try {
    if (renames.length > 0) await sql`rename table ${sql.join(renames, sql`, `)}`.execute(holding.db);
  } catch (error) {
    // One statement: the server renamed all the tables or none.
    return failed(
      `swapping the restored tables into ${target.display} failed (${NOTHING_CHANGED}, and the swap is atomic)`,
      [messageOf(error)],
    );
  }
  return await replaceViews(holding.db, views, target);
}

/** A view of the backup, as the target will define it. */
interface View {
  readonly name: string;
  readonly create: string;
}

/**
 * The scratch database's views, rewritten to name the target's database: MySQL stores a view's
 * query with every table qualified by its database.
 */
async function viewsOf(db: Kysely<any>, scratchName: string, targetName: string): Promise<View[]> {
  const { rows } = await sql<{ name: string; definition: string; security: string; checkOption: string }>`
    select table_name as name, view_definition as definition, security_type as security,
      check_option as checkOption
    from information_schema.views where table_schema = database() order by table_name`.execute(db);
  const quoted = (name: string) => `\`${name.replaceAll('`', '``')}\``;
  return rows.map((row) => ({
    name: row.name,
    create: [
      `create or replace sql security ${row.security === 'INVOKER' ? 'invoker' : 'definer'} view`,
      `${quoted(targetName)}.${quoted(row.name)} as`,
      row.definition.replaceAll(`${quoted(scratchName)}.`, `${quoted(targetName)}.`),
      row.checkOption === 'NONE' ? '' : `with ${row.checkOption.toLowerCase()} check option`,
    ].join(' '),
  }));
}

/**
 * Defines the backup's views on the target right after the swap (views hold no rows: until then
 * the target's own, which name tables by name, read the restored tables). A view built on
 * another view waits for it: each round creates what it can.
 */
async function replaceViews(
  db: Kysely<any>,
  views: readonly View[],
  target: ConnectionTarget,
): Promise<Outcome> {
  let waiting = [...views];
  while (waiting.length > 0) {
    const failures: { view: View; error: unknown }[] = [];
    for (const view of waiting) {
      await sql
        .raw(view.create)
        .execute(db)
        .catch((error: unknown) => failures.push({ view, error }));
    }
    if (failures.length === waiting.length) {
      return failed(
        `the tables were restored into ${target.display}, but ${failures.length} view(s) of the backup could not be defined there`,
        failures.map(({ view, error }) => `${view.name}: ${messageOf(error)}`),
      );
    }
    waiting = failures.map(({ view }) => view);
  }
  return { ok: true };
}

async function load(
  backupPath: string,
  into: ConnectionTarget,
  scratch: ThrowawayDatabase,
  options: SwapRestoreOptions,
): Promise<Outcome> {
  const engine = createBackupEngine('mysql');
  options.logger.info(`loading the backup into ${scratch.description} before swapping it in`);
  const file = await open(backupPath, 'r');
  try {
    const exit = await options.tool.run(engine.restoreArgs(into, 'scratch'), {
      env: engine.environment(into),
      secrets: options.secrets,
      stdin: file.fd,
      ...(options.toolTimeoutMs === undefined ? {} : { timeoutMs: options.toolTimeoutMs }),
    });
    if (exit.code === 0) return { ok: true };
    return failed(
      `${options.tool.name} failed loading the backup into ${scratch.description} (${NOTHING_CHANGED})`,
      [lastLines(exit.stderr)],
    );
  } finally {
    await file.close();
  }
}

async function differencesFromManifest(db: Kysely<any>, manifest: BackupManifest): Promise<string[]> {
  const counts = await createBackupEngine('mysql').countRows(db);
  const differences = describeCountDifferences(manifest.rowCounts, counts);
  const schema = await createSnapshotter('mysql').take(db, { excludeTables: [] });
  if (sha256Of(JSON.stringify(asDumpedAndRestored(schema))) !== manifest.schemaSnapshotSha256) {
    differences.unshift('schema: the loaded schema differs from the one backed up');
  }
  return differences;
}

/** "1 trigger(s), 2 routine(s)": what a rename cannot carry from the scratch database. */
async function objectsBesideTables(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ triggers: number; routines: number; events: number }>`
    select
        (select count(*) from information_schema.triggers where trigger_schema = database()) as triggers,
      (select count(*) from information_schema.routines where routine_schema = database()) as routines,
      (select count(*) from information_schema.events where event_schema = database()) as events`.execute(db);
  const row = rows[0];
  if (row === undefined) return [];
  return Object.entries(row)
    .filter(([, count]) => Number(count) > 0)
    .map(([kind, count]) => `${Number(count)} ${kind.replace(/s$/, '')}(s)`);
}

/**
 * "orders.fk_orders_account references accounts": foreign keys of the target's tables that stay
 * (not in the backup) to tables the swap moves away. InnoDB keeps a key on the table it points at,
 * not on its name, so after the swap such a key would point into the holding database.
 */
async function keysIntoSwapped(
  db: Kysely<any>,
  targetName: string,
  swapped: readonly string[],
): Promise<string[]> {
  if (swapped.length === 0) return [];
  const { rows } = await sql<{ tableName: string; name: string; referenced: string }>`
    select table_name as tableName, constraint_name as name, referenced_table_name as referenced
    from information_schema.referential_constraints
    where constraint_schema = ${targetName} and unique_constraint_schema = ${targetName}
      and referenced_table_name in (${sql.join(swapped)})
      and table_name not in (${sql.join(swapped)})
    order by table_name, constraint_name`.execute(db);
  return rows.map((row) => `${row.tableName}.${row.name} references ${row.referenced}`);
}

async function tablesOf(db: Kysely<any>, database?: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = ${database ?? sql`database()`} and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  return rows.map((row) => row.name);
}

async function databaseName(db: Kysely<any>): Promise<string> {
  const name = (await sql<{ name: string | null }>`select database() as name`.execute(db)).rows[0]?.name;
  if (name === undefined || name === null) throw new Error('the scratch database has no name');
  return name;
}
