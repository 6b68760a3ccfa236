import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { HistoryProblem } from '../../model/history-problem.ts';
import { migrationsAddedSince } from './git-base.ts';
import type { Migration } from './migration.ts';
import { isModuleFileName } from './migration-folder.ts';
import { sqlFileRole, sqlFolderFileRole } from './sql-file-names.ts';
import { suggestMigrationName } from './suggest-name.ts';

const run = promisify(execFile);

/** How a change set relates to the history merged on its base. */
export interface MigrationChanges {
  /** The migrations new since the base: the ones to prove. */
  readonly added: ReadonlySet<string>;
  /** Edits to the merged history that Kysely's Migrator would refuse or miss. */
  readonly problems: readonly HistoryProblem[];
}

/** What {@link changedMigrations} compares. */
export interface ChangedMigrationsOptions {
  /** The base: a git ref or commit (a pull request's base SHA, `origin/main`). */
  readonly base: string;
  /** The migrations as loaded from the working tree. */
  readonly migrations: readonly Migration[];
  /** The migrations folder or index module they were loaded from. */
  readonly path: string;
  /** The directory problem files are relative to. */
  readonly cwd: string;
  /** The time suggested timestamp names start from. */
  readonly now?: Date;
}

/**
 * Compares the migrations of the working tree with the base, as a pull request changes them.
 *
 * New and edited files are measured from the merge base of `base` and HEAD (what the branch
 * itself changed, whether the checkout is the branch or GitHub's merge commit), so migrations
 * merged on the base after the branch forked are neither new nor "deleted". The order is
 * measured against `base` itself: a new migration must sort after everything merged there.
 *
 * Problems: a migration that exists at the merge base whose files were changed (`modified`)
 * or removed (`deleted`); a new migration that sorts before the newest merged one
 * (`out-of-order`, with a name that would sort last). For an index module, edits are seen in
 * the files it re-exports only (a migration written inline in the index is not checked), and
 * deletions are not seen.
 */
export async function changedMigrations(options: ChangedMigrationsOptions): Promise<MigrationChanges> {
  const { base, migrations, cwd } = options;
  // Unknown refs and missing repositories fail below, in git-base.ts, with its messages.
  const mergeBase = (await git(cwd, ['merge-base', base, 'HEAD']).catch(() => undefined))?.trim() ?? base;
  const added = await migrationsAddedSince(mergeBase, migrations, cwd);
  const root = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  const folder = (await stat(options.path)).isDirectory() ? options.path : dirname(options.path);
  const scope: Scope = {
    root,
    cwd,
    migrations,
    added,
    folder: toPosix(relative(root, await realpath(folder))),
    isIndex: migrations.some((migration) => migration.source.format === 'index-module'),
  };
  const edited = await editedMigrations(scope, mergeBase);
  const newest = (await mergedNames(scope, base)).reduce<string | undefined>(
    (a, b) => (a === undefined || b > a ? b : a),
    undefined,
  );
  const unordered = newest === undefined ? [] : outOfOrder(scope, newest, options.now ?? new Date());
  return { added, problems: [...edited, ...unordered] };
}

/** What the comparison works on. */
interface Scope {
  /** The repository's root. */
  readonly root: string;
  readonly cwd: string;
  readonly migrations: readonly Migration[];
  readonly added: ReadonlySet<string>;
  /** The migrations folder, as a path in the repository (`''` for the root). */
  readonly folder: string;
  /** Whether the migrations come from an index module rather than a folder's files. */
  readonly isIndex: boolean;
}

/** Merged migrations whose files changed since the merge base: `modified`, or `deleted`. */
async function editedMigrations(scope: Scope, mergeBase: string): Promise<HistoryProblem[]> {
  const { root, cwd, migrations, added, folder } = scope;
  const changed = parseNameStatus(
    await git(root, ['diff', '--name-status', '--no-renames', '-z', mergeBase, '--', folder || '.']),
  );
  const nameOf = scope.isIndex
    ? await indexEntryNames(migrations, root)
    : (path: string) => migrationNameOfFile(relativeTo(folder, path));
  const loaded = new Set(migrations.map((migration) => migration.name));
  const problems = new Map<string, HistoryProblem>();
  for (const { status, path } of changed) {
    const name = nameOf(path);
    if (name === undefined || added.has(name) || problems.has(name)) continue;
    // A name no longer loaded lost all its files; one still loaded lost or changed some.
    const kind = loaded.has(name) ? 'modified' : status === 'D' ? 'deleted' : undefined;
    if (kind === undefined) continue;
    problems.set(name, {
      kind,
      name,
      file: relative(cwd, join(root, path)),
      message: `${name} was already merged; write a new migration instead`,
    });
  }
  return [...problems.values()];
}

/** The names merged on `base`: the loaded ones that are not new, and those of the base's files. */
async function mergedNames(scope: Scope, base: string): Promise<string[]> {
  const names = scope.migrations.map((migration) => migration.name).filter((name) => !scope.added.has(name));
  if (scope.isIndex) return names;
  const atBase = await git(scope.root, [
    'ls-tree',
    '-r',
    '--name-only',
    '-z',
    base,
    '--',
    scope.folder || '.',
  ]);
  for (const path of atBase.split('\0').filter(Boolean)) {
    const name = migrationNameOfFile(relativeTo(scope.folder, path));
    if (name !== undefined) names.push(name);
  }
  return names;
}

/**
 * New migrations that sort before `newest`, each with a name that sorts last; the suggestions
 * keep the new migrations' order among themselves.
 */
function outOfOrder(scope: Scope, newest: string, now: Date): HistoryProblem[] {
  const problems: HistoryProblem[] = [];
  let after = newest;
  for (const migration of scope.migrations) {
    if (!scope.added.has(migration.name) || migration.name >= newest) continue;
    const suggestedName = suggestMigrationName(migration.name, after, now);
    after = suggestedName;
    problems.push({
      kind: 'out-of-order',
      name: migration.name,
      file: relative(scope.cwd, migration.source.path),
      message:
        `${migration.name} sorts before ${newest}, which is already merged: Kysely refuses to run ` +
        `it on a database that has ${newest}; rename it to ${suggestedName}`,
      suggestedName,
    });
  }
  return problems;
}

/**
 * The migration a file of a migrations folder belongs to, by the loader's naming rules:
 * `name.ts`, `name.up.sql`, `name.postgres.sql`, `name/up.sql`. Undefined for other files.
 */
function migrationNameOfFile(pathInFolder: string | undefined): string | undefined {
  if (pathInFolder === undefined) return undefined;
  const parts = pathInFolder.split('/');
  if (parts.some((part) => part.startsWith('.'))) return undefined;
  if (parts.length === 2) return sqlFolderFileRole(parts[0]!, parts[1]!)?.name;
  if (parts.length !== 1) return undefined;
  const file = parts[0]!;
  if (isModuleFileName(file)) return file.replace(/\.[^.]+$/, '');
  return sqlFileRole(file)?.name;
}

/** For an index module: the files it re-exports, by path in the repository, to their names. */
async function indexEntryNames(
  migrations: readonly Migration[],
  root: string,
): Promise<(path: string) => string | undefined> {
  const names = new Map<string, string>();
  const shared = new Set<string>();
  for (const migration of migrations) {
    const path = await repositoryPath(root, migration.source.path);
    // A file several migrations share is the index itself: every new migration edits it.
    if (names.has(path)) shared.add(path);
    names.set(path, migration.name);
  }
  return (path) => (shared.has(path) ? undefined : names.get(path));
}

/** `path` relative to `folder` (both repository paths), or undefined when outside it. */
function relativeTo(folder: string, path: string): string | undefined {
  if (folder === '') return path;
  return path.startsWith(`${folder}/`) ? path.slice(folder.length + 1) : undefined;
}

/** `git diff --name-status -z`: status and path, NUL-separated. */
function parseNameStatus(output: string): { status: string; path: string }[] {
  const fields = output.split('\0').filter(Boolean);
  const entries: { status: string; path: string }[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    entries.push({ status: fields[index]!.charAt(0), path: fields[index + 1]! });
  }
  return entries;
}

/**
 * A file's path in the repository. git prints the root with symbolic links resolved; the folder
 * is resolved alike, not the file (a symlinked migration is tracked as the link).
 */
async function repositoryPath(root: string, file: string): Promise<string> {
  const folder = await realpath(dirname(file)).catch(() => dirname(file));
  return toPosix(relative(root, join(folder, basename(file))));
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}

/** git's standard output, untrimmed (NUL-separated paths may end in spaces). */
async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
