import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';
import { checksumOf } from './checksum.ts';
import { displayPath } from './display-path.ts';
import { checkDrizzleJournal } from './drizzle-journal.ts';
import { INDEX_MODULE_NAMES, loadIndexModule } from './index-module.ts';
import type { Migration } from './migration.ts';
import { isModuleFileName, scanMigrationFolder } from './migration-folder.ts';
import type { FolderContents } from './migration-folder.ts';
import { createModuleLoader } from './module-loader.ts';
import type { ModuleLoader } from './module-loader.ts';
import { migrationFromObject } from './module-migration.ts';
import { sqlMigrations } from './sql-migrations.ts';
import { tsconfigAliases } from './tsconfig-paths.ts';

/** Where to find migrations, and which dialect's SQL files to pick. */
export interface LoadMigrationsOptions {
  /** A migrations folder, or an index module file; relative paths start at the working directory. */
  readonly path: string;
  readonly dialect: DialectName;
  /** An empty folder is accepted (a new project) instead of refused. */
  readonly allowEmpty?: boolean;
}

/**
 * Loads every migration under `options.path`, sorted by name with JavaScript's default string
 * order, as Kysely's Migrator does, so both agree on what runs next.
 *
 * `path` is either an index module (a file, or a folder holding `index.ts`/`index.js`/...) that
 * exports the whole set, or a folder where each migration is one of:
 * - a Kysely module, `name.ts` (or .mts .cts .js .mjs .cjs) exporting `up(db)` and `down(db)`;
 * - SQL: `name.up.sql` + `name.down.sql`, `name/up.sql` + `name/down.sql`, one `name.sql`
 *   with dbmate's `-- migrate:up` / `-- migrate:down` sections, drizzle-kit's `name.sql` (with
 *   `meta/_journal.json`, and perhaps a `name.down.sql` beside it), or Flyway's `V1__name.sql` +
 *   `U1__name.sql`; any but Flyway's may carry a dialect infix (`name.postgres.up.sql`,
 *   `name.mysql.sql`) that wins over the generic file.
 * Modules resolve the `paths` of the nearest tsconfig.json.
 *
 * Conventions a migration may declare:
 * - modules: `export const irreversible = 'reason'` (no working down, on purpose),
 *   `export const transaction = false` (run outside the per-migration transaction) and
 *   `export const acknowledge = { 'drop-column': 'reason' }` (a risk taken on purpose);
 * - SQL: `-- migration-gate:irreversible <reason>`, `-- migration-gate:no-transaction`
 *   (dbmate's `-- migrate:up transaction:false` too) and
 *   `-- migration-gate:acknowledge <risk rule id> <reason>`.
 *
 * Anything that stops a migration from loading throws a {@link UsageError} naming the file.
 * So does a folder with no migration, unless `allowEmpty`: a wrong path or a misnamed file
 * would otherwise pass as "0 migrations".
 */
export async function loadMigrations(options: LoadMigrationsOptions): Promise<Migration[]> {
  const target = resolve(options.path);
  const stats = await stat(target).catch(() => undefined);
  const isModule = isModuleFileName(basename(target));
  if (stats === undefined) {
    throw new UsageError(
      `migrations ${isModule ? 'index module' : 'folder'} ${options.path} does not exist`,
      {
        file: target,
      },
    );
  }
  if (!stats.isDirectory() && !(stats.isFile() && isModule)) {
    throw new UsageError(`migrations path ${options.path} is neither a folder nor an index module`, {
      file: target,
    });
  }
  const loader = createModuleLoader(await tsconfigAliases(stats.isFile() ? dirname(target) : target));
  const index = stats.isFile() ? target : await findIndexModule(target);
  const migrations =
    index === undefined
      ? await loadFolder(target, options.dialect, loader)
      : await loadIndexModule(index, loader);
  if (migrations.length === 0 && options.allowEmpty !== true) {
    throw new UsageError(
      `no migrations in ${options.path}: a folder of Kysely modules or SQL files was expected (set allow-empty, --allow-empty on the command line, when none is expected yet)`,
      { file: target },
    );
  }
  // The comparison of Array.prototype.sort() without a comparator, which Kysely's Migrator uses.
  return migrations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function findIndexModule(folder: string): Promise<string | undefined> {
  for (const fileName of INDEX_MODULE_NAMES) {
    const path = join(folder, fileName);
    if ((await stat(path).catch(() => undefined))?.isFile()) return path;
  }
  return undefined;
}

async function loadFolder(folder: string, dialect: DialectName, loader: ModuleLoader): Promise<Migration[]> {
  const contents = await scanMigrationFolder(folder);
  rejectDuplicateNames(contents);
  await checkDrizzleJournal(folder, contents.sqlFiles, dialect);
  const migrations: Migration[] = [];
  for (const moduleFile of contents.modules) {
    const exports = await loader.load(moduleFile.path);
    migrations.push(
      migrationFromObject(exports, {
        name: moduleFile.name,
        description: `migration module ${displayPath(moduleFile.path)}`,
        source: { format: 'module', path: moduleFile.path },
        checksum: checksumOf(await readFile(moduleFile.path, 'utf8')),
      }),
    );
  }
  migrations.push(...(await sqlMigrations(contents.sqlFiles, dialect)));
  return migrations;
}

/**
 * Two modules with one name (often `x.ts` beside its compiled `x.js`), or a module and SQL files
 * with one name, are refused before anything loads: which one Kysely would run is an accident.
 * SQL files sharing a name are sorted out by {@link sqlMigrations}.
 */
function rejectDuplicateNames(contents: FolderContents): void {
  const modules = new Map<string, string>();
  for (const moduleFile of contents.modules) {
    const other = modules.get(moduleFile.name);
    if (other !== undefined) throw duplicateName(moduleFile.name, other, moduleFile.path);
    modules.set(moduleFile.name, moduleFile.path);
  }
  for (const file of contents.sqlFiles) {
    const other = modules.get(file.role.name);
    if (other !== undefined) throw duplicateName(file.role.name, other, file.path);
  }
}

function duplicateName(name: string, first: string, second: string): UsageError {
  const message = `duplicate migration name ${name}: ${displayPath(first)} and ${displayPath(second)}`;
  return new UsageError(message, { file: second });
}
