import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { CacheEnvironment } from './cache-file.ts';
import { cacheDirectory, readCacheFile, writeCacheFile } from './cache-file.ts';

/** A saved throwaway state, with the snapshot of its schema taken when it was saved. */
export interface CachedState {
  readonly state: Uint8Array;
  readonly snapshot: SchemaSnapshot;
}

/** What reading a state found: the state, or why there is none to use. */
export type CachedStateRead =
  | { readonly found: true; readonly cached: CachedState }
  | { readonly found: false; readonly missing: boolean; readonly reason: string };

/** Where saved throwaway states are kept, by key. */
export interface StateCache {
  read(key: string): Promise<CachedStateRead>;
  write(key: string, cached: CachedState): Promise<void>;
}

const KIND = 'throwaway-state';
/** A few states, so switching between branches does not replay; each can be tens of megabytes. */
const KEPT_STATES = 3;
const SUFFIX = '.state';

/** The folder of saved states inside the cache folder (what the action keeps between runs). */
export function stateCacheFolder(env: CacheEnvironment = process.env): string | undefined {
  const folder = cacheDirectory(env);
  return folder === undefined ? undefined : join(folder, 'states');
}

/**
 * Saved states as files in `folder`, one per key: the snapshot's JSON on the first line, the
 * state after it, behind the cache file's checksum header. Writing one keeps only the few
 * used last.
 */
export function stateCacheIn(folder: string): StateCache {
  const fileOf = (key: string) => join(folder, `${key}${SUFFIX}`);
  return {
    async read(key) {
      const read = await readCacheFile(fileOf(key), KIND);
      if (!read.found) return read;
      const payload = Buffer.from(await read.payload.arrayBuffer());
      const newline = payload.indexOf(0x0a);
      try {
        if (newline < 0) throw new Error('no snapshot line');
        const snapshot = JSON.parse(payload.subarray(0, newline).toString('utf8')) as SchemaSnapshot;
        // Used now: the last to be pruned.
        const now = new Date();
        await utimes(fileOf(key), now, now).catch(() => {});
        return { found: true, cached: { snapshot, state: payload.subarray(newline + 1) } };
      } catch (error) {
        return { found: false, missing: false, reason: `unreadable snapshot: ${String(error)}` };
      }
    },
    async write(key, { state, snapshot }) {
      const line = Buffer.from(`${JSON.stringify(snapshot)}\n`, 'utf8');
      await writeCacheFile(fileOf(key), KIND, Buffer.concat([line, state]));
      await pruneStates(folder);
    },
  };
}

/** Removes all but the {@link KEPT_STATES} states used last; another run may be pruning too. */
async function pruneStates(folder: string): Promise<void> {
  const names = (await readdir(folder)).filter((name) => name.endsWith(SUFFIX));
  const dated = await Promise.all(
    names.map(async (name) => ({
      name,
      used: (await stat(join(folder, name)).catch(() => undefined))?.mtimeMs ?? 0,
    })),
  );
  dated.sort((a, b) => b.used - a.used);
  for (const { name } of dated.slice(KEPT_STATES)) await rm(join(folder, name), { force: true });
}
