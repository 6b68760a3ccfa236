import * as kysely from 'kysely';
import * as kyselyMysql from 'kysely/helpers/mysql';
import * as kyselyPostgres from 'kysely/helpers/postgres';
import { createJiti } from 'jiti';
import type { Jiti } from 'jiti';
import { UsageError, messageOf } from '../../model/errors.ts';
import { displayPath } from './display-path.ts';
import { frameInFiles } from './stack-frame.ts';
import { optional } from '../../model/optional.ts';

/** The exports of a loaded migration module. */
export type ModuleExports = Readonly<Record<string, unknown>>;

/** Loads TypeScript or JavaScript modules from the user's project without a build step. */
export interface ModuleLoader {
  /** Loads `file` afresh; throws a {@link UsageError} naming the file (and line) when it cannot. */
  load(file: string): Promise<ModuleExports>;
}

/**
 * The entry points of kysely a migration may import, as the very module objects the engine
 * imported. Not resolved by path: however the engine was loaded (the CLI, the action's bundle,
 * tsx under GitHub's local-action, which may hand `require` a transpiled twin), a path can
 * lead to a second copy, and then `instanceof PostgresAdapter` fails in the migration.
 */
const KYSELY_MODULES: Readonly<Record<string, unknown>> = {
  kysely,
  'kysely/helpers/postgres': kyselyPostgres,
  'kysely/helpers/mysql': kyselyMysql,
};

/**
 * A loader backed by jiti. Modules are read fresh on every load (no fs cache written into the
 * user's project, no module cache) and `kysely` is the engine's own module, so a migration
 * folder works even with no node_modules above it, or with another kysely in it, and shares
 * one kysely with the engine. Modules using top-level await are loaded too, through jiti's
 * async path, where plain-ESM files they import (.mjs) are imported natively and so cached by
 * Node. `projectAliases` are the project's own (its tsconfig paths).
 */
export function createModuleLoader(projectAliases: Readonly<Record<string, string>> = {}): ModuleLoader {
  const jiti = createJiti(import.meta.url, {
    fsCache: false,
    moduleCache: false,
    sourceMaps: true,
    virtualModules: KYSELY_MODULES,
    // The project's own aliases (its tsconfig paths).
    alias: { ...projectAliases },
  });
  return { load: (file) => loadModule(jiti, file) };
}

async function loadModule(jiti: Jiti, file: string): Promise<ModuleExports> {
  try {
    // The synchronous path transpiles every file, .mjs included, so the kysely alias applies
    // everywhere and nothing lands in Node's unclearable ESM cache.
    return asExports(jiti(file));
  } catch (error) {
    if (!/await is only valid/.test(messageOf(error))) throw loadError(error, file);
  }
  try {
    return asExports(await jiti.import(file));
  } catch (error) {
    throw loadError(error, file);
  }
}

function asExports(value: unknown): ModuleExports {
  return typeof value === 'object' && value !== null ? (value as ModuleExports) : { default: value };
}

// jiti reports parse errors as "<Code>: <message> \n <file>:<line>:<column>".
const PARSE_ERROR_LOCATION = /\s*\n\s*(.+):(\d+):(\d+)\s*$/;

/**
 * A load failure as a UsageError. A syntax error names the file it is in, which for an index
 * module may be one of the files it imports.
 */
function loadError(error: unknown, file: string): UsageError {
  const message = messageOf(error);
  const parseLocation = PARSE_ERROR_LOCATION.exec(message);
  const location = parseLocation
    ? { file: parseLocation[1]!.trim(), line: Number(parseLocation[2]) }
    : (frameInFiles(error instanceof Error ? error.stack : undefined, [file]) ?? { file, line: undefined });
  const reason = parseLocation
    ? message.slice(0, parseLocation.index).replace(/^\w*(?:Parse|Syntax)Error: /, 'syntax error: ')
    : message;
  const where =
    location.line === undefined
      ? displayPath(location.file)
      : `${displayPath(location.file)}:${location.line}`;
  return new UsageError(`cannot load migration module ${where}: ${reason}`, {
    file: location.file,
    ...optional('line', location.line),
    cause: error,
  });
}
