import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { UsageError, messageOf } from '../../model/errors.ts';
import { displayPath } from './display-path.ts';

/**
 * The `compilerOptions.paths` of the project's tsconfig as module aliases, so a migration
 * importing `@/db/columns` loads as it does under tsc or kysely-ctl's
 * `--experimental-resolve-tsconfig-paths`. The tsconfig is the nearest `tsconfig.json` at or
 * above `from`, with its `extends` chain. A pattern `@/*` becomes the prefix alias `@`; only
 * the first target of a pattern is used (aliases cannot fall back). Empty when there is no
 * tsconfig or it has no paths.
 */
export async function tsconfigAliases(from: string): Promise<Record<string, string>> {
  const file = await nearestTsconfig(resolve(from));
  if (file === undefined) return {};
  const options = await compilerOptions(file, new Set());
  const aliases: Record<string, string> = {};
  for (const [pattern, targets] of Object.entries(options.paths?.value ?? {})) {
    const target = targets[0];
    // A wildcard anywhere but at the end (`*`, `*.css`) has no prefix alias to stand for it.
    if (target === undefined || withoutWildcard(pattern).includes('*')) continue;
    // Paths resolve from baseUrl when set, else from the tsconfig that declares them.
    const base = options.baseUrl ?? dirname(options.paths!.file);
    aliases[withoutWildcard(pattern)] = resolve(base, withoutWildcard(target));
  }
  return aliases;
}

interface Options {
  readonly paths?: { readonly value: Readonly<Record<string, readonly string[]>>; readonly file: string };
  /** Absolute. */
  readonly baseUrl?: string;
}

async function nearestTsconfig(folder: string): Promise<string | undefined> {
  for (let at = folder; ; at = dirname(at)) {
    const file = join(at, 'tsconfig.json');
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
    if (dirname(at) === at) return undefined;
  }
}

/** The options of `file` over those it extends (the later in an `extends` array win). */
async function compilerOptions(file: string, seen: Set<string>): Promise<Options> {
  if (seen.has(file)) return {};
  seen.add(file);
  const config = await readTsconfig(file);
  const bases = config.extends === undefined ? [] : [config.extends].flat();
  let options: Options = {};
  for (const base of bases) {
    const baseFile = typeof base === 'string' ? resolveExtends(base, file) : undefined;
    if (baseFile !== undefined) options = { ...options, ...(await compilerOptions(baseFile, seen)) };
  }
  const own = config.compilerOptions ?? {};
  return {
    ...options,
    ...(own.paths === undefined ? {} : { paths: { value: own.paths, file } }),
    ...(own.baseUrl === undefined ? {} : { baseUrl: resolve(dirname(file), own.baseUrl) }),
  };
}

interface Tsconfig {
  readonly extends?: unknown;
  readonly compilerOptions?: {
    readonly paths?: Readonly<Record<string, readonly string[]>>;
    readonly baseUrl?: string;
  };
}

async function readTsconfig(file: string): Promise<Tsconfig> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(withoutCommentsAndTrailingCommas(text)) as Tsconfig;
  } catch (error) {
    throw new UsageError(`cannot read ${displayPath(file)} for its paths: ${messageOf(error)}`, {
      file,
      cause: error,
    });
  }
}

/** A relative `extends` from the tsconfig's folder, a package's from node_modules; else undefined. */
function resolveExtends(specifier: string, from: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const path = resolve(dirname(from), specifier);
    return path.endsWith('.json') ? path : `${path}.json`;
  }
  try {
    return createRequire(from).resolve(specifier);
  } catch {
    return undefined;
  }
}

function withoutWildcard(pattern: string): string {
  return pattern.endsWith('/*') ? pattern.slice(0, -2) : pattern;
}

/** tsconfig is JSON with comments and trailing commas: drops both, leaving strings alone. */
function withoutCommentsAndTrailingCommas(text: string): string {
  const stripped = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (match, string) =>
    string === undefined ? '' : match,
  );
  return stripped.replace(/("(?:[^"\\]|\\.)*")|,(\s*[}\]])/g, (match, string, end) =>
    string === undefined ? end : match,
  );
}
