import { createHash, randomBytes } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/** The environment variables that decide the cache folder; `process.env` by default. */
export type CacheEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * What reading a cache file found: its payload, or why there is none to use. The payload is
 * backed by the file, not copied into memory (a PGlite data directory is 40 MB, which PGlite
 * copies again when it loads it): it is read when used, and reading it fails if another run
 * replaced the file meanwhile.
 */
export type CacheFileRead =
  | { readonly found: true; readonly payload: Blob }
  | { readonly found: false; readonly missing: boolean; readonly reason: string };

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
 * The first line of a cache file of `kind`. The SHA-256 of the payload follows it, so a
 * truncated or damaged file is recognised before it is used: a bad data directory would
 * otherwise start and fail later, half-way through a proof, with a misleading error.
 */
function headerPrefix(kind: string): string {
  return `migration-gate ${kind} 1 sha256:`;
}

/** Reads and checks a cache file of `kind`; any problem is a reason, never an exception. */
export async function readCacheFile(file: string, kind: string): Promise<CacheFileRead> {
  let whole: Blob;
  try {
    // Asked first: openAsBlob says only "Unable to open file as blob" for a missing one.
    await stat(file);
    whole = await openAsBlob(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { found: false, missing, reason: missing ? 'no cache file yet' : `unreadable: ${String(error)}` };
  }
  const prefix = headerPrefix(kind);
  // Prefix, 64 hex digits, newline.
  const length = prefix.length + 64 + 1;
  try {
    const header = Buffer.from(await whole.slice(0, length).arrayBuffer()).toString('latin1');
    if (!header.startsWith(prefix) || !header.endsWith('\n')) {
      return { found: false, missing: false, reason: `not a migration-gate ${kind} cache file` };
    }
    const payload = whole.slice(length);
    // Streamed: the checksum never needs the whole payload in memory.
    const hash = createHash('sha256');
    for await (const chunk of payload.stream()) hash.update(chunk);
    if (hash.digest('hex') !== header.slice(prefix.length, -1)) {
      return { found: false, missing: false, reason: 'checksum mismatch (truncated or damaged)' };
    }
    return { found: true, payload };
  } catch (error) {
    return { found: false, missing: false, reason: `unreadable: ${String(error)}` };
  }
}

/**
 * Writes a cache file of `kind` atomically: to a unique temporary name, then renamed over
 * the old one, so a concurrent run or a killed process never leaves a half-written file to read.
 */
export async function writeCacheFile(file: string, kind: string, payload: Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, [Buffer.from(`${headerPrefix(kind)}${sha256(payload)}\n`, 'latin1'), payload]);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
