import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/**
 * The first line of a cache file. The SHA-256 of the tarball follows it, so a truncated or
 * damaged file is recognised before PGlite loads it: a bad data directory would otherwise
 * start and fail later, half-way through a proof, with a misleading error.
 */
const HEADER_PREFIX = 'migration-gate pglite-data-dir 1 sha256:';
/** Prefix, 64 hex digits, newline. */
const HEADER_LENGTH = HEADER_PREFIX.length + 64 + 1;

/** The environment variables that decide the cache folder; `process.env` by default. */
export type CacheEnvironment = Readonly<Record<string, string | undefined>>;

/** What reading the cache found: the pristine tarball, or why there is none to use. */
export type CachedDataDir =
  { readonly found: true; readonly tarball: Blob } | { readonly found: false; readonly reason: string };

/**
 * The folder migration-gate caches files in: `MIGRATION_GATE_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/migration-gate`, else `~/.cache/migration-gate`; undefined when there
 * is no home to put it in (then nothing is cached).
 */
export function cacheDirectory(env: CacheEnvironment = process.env): string | undefined {
  const explicit = env['MIGRATION_GATE_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  // The XDG spec says to ignore a relative XDG_CACHE_HOME: it would depend on the working directory.
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'migration-gate');
  let home: string;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  return home === '' ? undefined : join(home, '.cache', 'migration-gate');
}

/**
 * The cache file for the pristine data directory of the installed PGlite, or undefined
 * when its version cannot be read. The version is in the name because another PGlite
 * (another Postgres, another initdb) cannot use this one's data directory.
 */
export function pgliteDataDirCacheFile(env: CacheEnvironment = process.env): string | undefined {
  const folder = cacheDirectory(env);
  const version = installedPgliteVersion();
  if (folder === undefined || version === undefined) return undefined;
  return join(folder, `pglite-${version.replace(/[^\w.+-]/g, '_')}-data-dir.tar`);
}

/**
 * Reads and checks a cache file; any problem is a reason, never an exception. The tarball
 * returned is backed by the file, not copied into memory: PGlite reads it once when it loads
 * it, and a reset reads it again (were the file replaced meanwhile by another run, that read
 * fails, and the caller starts afresh). Holding the 40 MB in memory instead, twice during the
 * checksum, was most of an embedded check's peak above PGlite's own.
 */
export async function readCachedDataDir(file: string): Promise<CachedDataDir> {
  let whole: Blob;
  try {
    whole = await openAsBlob(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { found: false, reason: missing ? 'no cache file yet' : `unreadable: ${String(error)}` };
  }
  try {
    const header = Buffer.from(await whole.slice(0, HEADER_LENGTH).arrayBuffer()).toString('latin1');
    if (!header.startsWith(HEADER_PREFIX) || !header.endsWith('\n')) {
      return { found: false, reason: 'not a migration-gate data directory cache file' };
    }
    // The type tells PGlite not to try gunzip first.
    const tarball = whole.slice(HEADER_LENGTH, whole.size, 'application/x-tar');
    const hash = createHash('sha256');
    for await (const chunk of tarball.stream()) hash.update(chunk);
    if (hash.digest('hex') !== header.slice(HEADER_PREFIX.length, -1)) {
      return { found: false, reason: 'checksum mismatch (truncated or damaged)' };
    }
    return { found: true, tarball };
  } catch (error) {
    return { found: false, reason: `unreadable: ${String(error)}` };
  }
}

/**
 * Writes a cache file atomically: to a unique temporary name, then renamed over the old
 * one, so a concurrent run or a killed process never leaves a half-written file to read.
 */
export async function writeCachedDataDir(file: string, tarball: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, [Buffer.from(`${HEADER_PREFIX}${sha256(tarball)}\n`, 'latin1'), tarball]);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

let pgliteVersion: string | null | undefined;

/**
 * The version in PGlite's package.json. Its exports map hides package.json, so walk up from
 * the entry point to the folder that holds it.
 */
function installedPgliteVersion(): string | undefined {
  if (pgliteVersion === undefined) pgliteVersion = readPgliteVersion() ?? null;
  return pgliteVersion ?? undefined;
}

function readPgliteVersion(): string | undefined {
  const require = createRequire(import.meta.url);
  let folder: string;
  try {
    folder = dirname(require.resolve('@electric-sql/pglite'));
  } catch {
    return undefined;
  }
  for (;;) {
    try {
      const manifest = require(join(folder, 'package.json')) as { name?: unknown; version?: unknown };
      if (manifest.name === '@electric-sql/pglite' && typeof manifest.version === 'string') {
        return manifest.version;
      }
    } catch {
      // No package.json at this level: keep walking up.
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}
