import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { runCheck } from '../src/core/flows/check/run-check.ts';
import type { Logger } from '../src/core/model/logger.ts';
import { silentLogger } from '../src/core/model/logger.ts';
import { stateCacheFolder, stateCacheIn } from '../src/core/parts/throwaway/state-cache.ts';
import { openThrowaway } from '../src/core/parts/throwaway/open-throwaway.ts';
import type { MergedHistory } from './pr-cost.ts';
import { writePullRequestRepository } from './pr-cost.ts';

/** A pull request's check on embedded PGlite with the merged history replayed, then restored. */
export interface MergedCacheCost {
  readonly historySize: number;
  /** `check --base --merged-cache false`: replays the history, as without the cache. */
  readonly uncachedMs: number;
  /** `check --base` with no saved state: replays the history (and saves its state). */
  readonly coldMs: number;
  /** The same check again: restores the saved state. */
  readonly warmMs: number;
  /** The floor of the warm check: loading the saved state, then the new migration's up, down, up. */
  readonly floorMs: number;
  /** The CPU time of this process for the same three, which other load on the machine barely moves. */
  readonly cpuMs: { readonly uncached: number; readonly warm: number; readonly floor: number };
  /** Both checks passed, the cold one replayed and the warm one restored. */
  readonly ok: boolean;
}

/** Where the checks run: embedded PGlite, or scratch databases on a server. */
export type MergedCacheThrowaway =
  { readonly kind: 'embedded' } | { readonly kind: 'server'; readonly url: string };

/**
 * Measures one pull request adding a migration to `size` merged ones of `history`, with
 * MIGRATION_GATE_CACHE_DIR set to `cache` (whose pristine PGlite data directory the caller
 * warmed, so no check pays for initdb).
 */
export async function measureMergedCache(
  work: string,
  size: number,
  cache: string,
  history: MergedHistory,
  where: MergedCacheThrowaway = { kind: 'embedded' },
): Promise<MergedCacheCost> {
  process.env['MIGRATION_GATE_CACHE_DIR'] = cache;
  const states = stateCacheFolder()!;
  await rm(states, { recursive: true, force: true });
  const { folder, added } = await writePullRequestRepository(
    join(work, `merged-cache-${size}`),
    size,
    history,
  );
  const check = async (mergedCache = true) => {
    const lines: string[] = [];
    const logger: Logger = { ...silentLogger, info: (line) => lines.push(line) };
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await runCheck({
      migrations: folder,
      dialect: history.dialect,
      throwaway: where.kind,
      ...(where.kind === 'server' ? { serverUrl: where.url } : {}),
      mode: 'step',
      base: 'HEAD~1',
      cwd: folder,
      logger,
      mergedCache,
    });
    const ms = performance.now() - started;
    const cpuMs = cpuSince(cpu);
    const ok = result.ok && result.migrations.length === 1 && result.replayed.length === size;
    return { ms, cpuMs, ok, lines };
  };
  const uncached = await check(false);
  const cold = await check();
  const warm = await check();

  // The floor: the saved state loaded into a running throwaway, then the new migration's three steps.
  const [file] = (await readdir(states)).filter((name) => name.endsWith('.state'));
  const read = await stateCacheIn(states).read(file!.slice(0, -'.state'.length));
  if (!read.found) throw new Error(`the saved state is unusable: ${read.reason}`);
  await using throwaway = await openThrowaway(where.kind, {
    dialect: history.dialect,
    logger: silentLogger,
    ...(where.kind === 'server' ? { serverUrl: where.url } : {}),
  });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const db = await throwaway.state!.load(read.cached.state);
  const step = (fn: (db: Kysely<any>) => Promise<void>) => db.transaction().execute(fn);
  await step(added.up);
  await step(added.down!);
  await step(added.up);
  const floorMs = performance.now() - started;
  const floorCpuMs = cpuSince(cpu);

  const said = (lines: string[], text: string) => lines.some((line) => line.includes(text));
  const ok =
    uncached.ok &&
    cold.ok &&
    warm.ok &&
    said(cold.lines, 'merged history: cache miss, replaying') &&
    said(warm.lines, `merged history: restored ${size} migration(s) from cache`);
  return {
    historySize: size,
    uncachedMs: uncached.ms,
    coldMs: cold.ms,
    warmMs: warm.ms,
    floorMs,
    cpuMs: { uncached: uncached.cpuMs, warm: warm.cpuMs, floor: floorCpuMs },
    ok,
  };
}

/** Milliseconds of CPU (user and system) this process spent since `start`. */
function cpuSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}
