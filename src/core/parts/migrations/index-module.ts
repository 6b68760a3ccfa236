import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../model/errors.ts';
import { checksumOf } from './checksum.ts';
import { displayPath } from './display-path.ts';
import type { Migration } from './migration.ts';
import type { ModuleExports, ModuleLoader } from './module-loader.ts';
import { isMigrationObject, migrationFromObject } from './module-migration.ts';

/** File names that make a folder an index module rather than a set of migration files. */
export const INDEX_MODULE_NAMES = [
  'index.ts',
  'index.mts',
  'index.js',
  'index.mjs',
  'index.cts',
  'index.cjs',
];

/**
 * Loads the whole migration set from one index module. The module may export:
 * - a `migrations` export, or a default export, that is a record `{ name: migration }` or an
 *   array of `{ name, up, down? }` objects (what Kysera's `createMigration`, `defineMigrations`
 *   and `createMigrationWithMeta` return);
 * - otherwise named exports, under any names, each a migration (keyed by the export's name, e.g.
 *   `export * as _20230309T045948368Z from './migrations/20230309T045948368Z-init.js'`) or such
 *   a record or array (`export const blogMigrations = [createMigration(...), ...]`).
 * Each migration object follows the conventions of {@link migrationFromObject}. An export that
 * is none of these is refused, saying what it holds.
 */
export async function loadIndexModule(file: string, loader: ModuleLoader): Promise<Migration[]> {
  const exports = await loader.load(file);
  const source = await readFile(file, 'utf8');
  const entryFiles = exportedModuleFiles(source, file);
  const migrations: Migration[] = [];
  for (const [name, object, description] of entriesOf(exports, file)) {
    const entryFile = entryFiles.get(name);
    const checksum =
      entryFile === undefined
        ? checksumOf(String(object['up']), String(object['down'] ?? ''))
        : checksumOf(await readFile(entryFile, 'utf8'));
    migrations.push(
      migrationFromObject(object, {
        name,
        description,
        source: { format: 'index-module', path: entryFile ?? file },
        checksum,
      }),
    );
  }
  return migrations;
}

type Entry = [name: string, object: Readonly<Record<string, unknown>>, description: string];

function entriesOf(exports: ModuleExports, file: string): Entry[] {
  const where = displayPath(file);
  if (exports['migrations'] !== undefined) {
    return collectionEntries(exports['migrations'], `the migrations export of ${where}`, file);
  }
  const fallback = exports['default'];
  if (Array.isArray(fallback) || isRecordOfMigrations(fallback)) {
    return collectionEntries(fallback, `the default export of ${where}`, file);
  }
  const named = Object.keys(exports).filter((key) => key !== 'default');
  if (named.length === 0) {
    throw new UsageError(
      `index module ${where} exports no migrations: expected a migrations export, a default export ` +
        'or named exports that are each a migration or an array or record of migrations',
      { file },
    );
  }
  const entries = named.flatMap((name) => {
    const value = exports[name];
    const description = `export ${name} of ${where}`;
    if (isMigrationObject(value)) return [entry(name, value, description, file)];
    if (Array.isArray(value) || isRecordOfMigrations(value))
      return collectionEntries(value, description, file);
    throw new UsageError(
      `${description} is ${describeFound(value)}: an index module exports migrations (objects with ` +
        'an up function) or arrays or records of them; move anything else out of it',
      { file },
    );
  });
  rejectDuplicates(entries, `index module ${where}`, file);
  return entries;
}

function collectionEntries(collection: unknown, description: string, file: string): Entry[] {
  if (Array.isArray(collection)) {
    const entries = collection.map((element: unknown, index) => {
      const name = (element as { name?: unknown } | null)?.name;
      if (typeof name !== 'string' || name === '') {
        throw new UsageError(
          `element ${index} of ${description} has no name: it is ${describeFound(element)}`,
          { file },
        );
      }
      return entry(name, element, `migration ${name} in ${description}`, file);
    });
    rejectDuplicates(entries, description, file);
    return entries;
  }
  if (typeof collection === 'object' && collection !== null) {
    return Object.entries(collection).map(([name, value]) =>
      entry(name, value, `migration ${name} in ${description}`, file),
    );
  }
  throw new UsageError(`${description} is neither a record nor an array of migrations`, { file });
}

function rejectDuplicates(entries: readonly Entry[], description: string, file: string): void {
  const seen = new Set<string>();
  for (const [name] of entries) {
    if (seen.has(name)) throw new UsageError(`duplicate migration name ${name} in ${description}`, { file });
    seen.add(name);
  }
}

function entry(name: string, value: unknown, description: string, file: string): Entry {
  if (!isMigrationObject(value))
    throw new UsageError(`${description} has no up function: it is ${describeFound(value)}`, { file });
  return [name, value, description];
}

/** What a value that should have been a migration is, in words, so the user can find it. */
function describeFound(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `a function${value.name === '' ? '' : ` (${value.name})`}`;
  if (Array.isArray(value)) {
    const at = value.findIndex((element) => !isMigrationObject(element));
    return at < 0
      ? `an array of ${value.length} migrations`
      : `an array whose element ${at} is ${describeFound(value[at])}`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 5);
    return keys.length === 0 ? 'an empty object' : `an object with no up function (keys: ${keys.join(', ')})`;
  }
  return `a ${typeof value} (${typeof value === 'string' ? JSON.stringify(value) : String(value)})`;
}

function isRecordOfMigrations(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || isMigrationObject(value)) return false;
  const values = Object.values(value);
  return values.length > 0 && values.every(isMigrationObject);
}

const EXPORT_STAR_AS = /export\s*\*\s*as\s+(?:([\p{L}\p{N}_$]+)|(["'])(.*?)\2)\s*from\s*(["'])(.+?)\4/gu;

/**
 * Maps the names of `export * as name from './migrations/file.js'` to the files they point at, so that an
 * entry's checksum and error locations use its own file. Other shapes of index module keep the
 * index file (and a checksum of the functions' source).
 */
function exportedModuleFiles(source: string, indexFile: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of source.matchAll(EXPORT_STAR_AS)) {
    const specifier = match[5]!;
    if (!specifier.startsWith('.')) continue;
    const file = resolveRelativeModule(resolve(dirname(indexFile), specifier));
    if (file !== undefined) files.set(match[1] ?? match[3]!, file);
  }
  return files;
}

/** Resolves like TypeScript's NodeNext: `./x.js` may name `./x.ts`. */
function resolveRelativeModule(path: string): string | undefined {
  const candidates = [
    path,
    path.replace(/\.(m|c)?js$/, '.$1ts'),
    ...['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((extension) => path + extension),
  ];
  return candidates.find((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile());
}
