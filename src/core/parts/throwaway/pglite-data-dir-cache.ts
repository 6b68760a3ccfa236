import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CacheEnvironment } from './cache-file.ts';
import { cacheDirectory, readCacheFile, writeCacheFile } from './cache-file.ts';

/** The kind of cache file: its header names it. */
const KIND = 'pglite-data-dir';

/** The kind of the file beside it that holds the engine's version, read without starting it. */
const VERSION_KIND = 'pglite-server-version';

/** What reading the cache found: the pristine tarball, or why there is none to use. */
export type CachedDataDir =
  { readonly found: true; readonly tarball: Blob } | { readonly found: false; readonly reason: string };

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

/** Reads and checks a cache file; any problem is a reason, never an exception. */
export async function readCachedDataDir(file: string): Promise<CachedDataDir> {
  const read = await readCacheFile(file, KIND);
  if (!read.found) return read;
  // The type tells PGlite not to try gunzip first.
  return { found: true, tarball: read.payload.slice(0, read.payload.size, 'application/x-tar') };
}

/** The engine's version of the data directory cached in `file`, when it was cached too. */
export async function readCachedServerVersion(file: string): Promise<string | undefined> {
  const read = await readCacheFile(versionFile(file), VERSION_KIND);
  return read.found ? await read.payload.text() : undefined;
}

/** Caches the engine's version of the data directory cached in `file`. */
export function writeCachedServerVersion(file: string, serverVersion: string): Promise<void> {
  return writeCacheFile(versionFile(file), VERSION_KIND, Buffer.from(serverVersion, 'utf8'));
}

function versionFile(dataDirFile: string): string {
  return `${dataDirFile}.server-version`;
}

/** Writes the cache file atomically (see writeCacheFile). */
export function writeCachedDataDir(file: string, tarball: Uint8Array): Promise<void> {
  return writeCacheFile(file, KIND, tarball);
}

let pgliteVersion: string | null | undefined;

/**
 * The version in PGlite's package.json. Its exports map hides package.json, so walk up from
 * the entry point to the folder that holds it.
 */
export function installedPgliteVersion(): string | undefined {
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
