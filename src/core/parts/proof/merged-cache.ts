import { createHash } from 'node:crypto';
import { messageOf } from '../../model/errors.ts';
import type { ReplayResult } from '../../model/migration-result.ts';
import type { Migration } from '../migrations/migration.ts';
import { describeChange, diffSnapshots } from '../schema/diff.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { StateCache } from '../throwaway/state-cache.ts';
import type { ThrowawayState } from '../throwaway/throwaway.ts';
import { replayMerged } from './merged-replay.ts';
import type { ProofContext } from './proof-context.ts';

/** The version of the key and of what is kept under it: a new one when either changes meaning. */
const FORMAT_VERSION = 1;

/** What a saved state of the merged history depends on. */
export interface MergedStateIdentity {
  /** The throwaway's state format (ThrowawayState.format). */
  readonly format: string;
  readonly dialect: string;
  readonly serverVersion: string;
  /** The tables the stored snapshot leaves out. */
  readonly excludeTables: readonly string[];
  /** The merged migrations, in order. */
  readonly migrations: readonly Pick<Migration, 'name' | 'checksum'>[];
}

/** The cache key of the merged history's state: a changed, added, removed or moved migration is another key. */
export function mergedStateKey(identity: MergedStateIdentity): string {
  const parts = [
    FORMAT_VERSION,
    identity.format,
    identity.dialect,
    identity.serverVersion,
    identity.excludeTables,
    identity.migrations.map(({ name, checksum }) => [name, checksum]),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The merged history brought in: its results, and the schema snapshot after it when one was taken. */
export interface BroughtMerged {
  readonly replayed: ReplayResult[];
  readonly snapshot?: SchemaSnapshot;
}

/**
 * Brings the throwaway to the state after merged migrations: restored from the cache when the
 * run starts on a fresh database and the cache holds a state for exactly these migrations on
 * this engine, else replayed, and then cached when every one of them applied. A restored state
 * is trusted only when a snapshot of it equals the one taken when it was saved.
 */
export async function bringMerged(
  context: ProofContext,
  merged: readonly Migration[],
): Promise<BroughtMerged> {
  const { mergedCache: cache, throwaway, logger } = context.options;
  const state = throwaway.state;
  if (cache === undefined || context.applied.length > 0)
    return { replayed: await replayMerged(context, merged) };
  if (state === undefined) {
    logger.debug(`merged history: no cache for a ${throwaway.kind} throwaway, replaying`);
    return { replayed: await replayMerged(context, merged) };
  }
  const key = mergedStateKey({
    format: state.format,
    dialect: throwaway.dialect,
    serverVersion: throwaway.serverVersion,
    excludeTables: context.options.excludeTables,
    migrations: merged,
  });
  const restored = await restoreMerged(context, cache, state, key, merged);
  if (restored !== undefined) return restored;
  const replayed = await replayMerged(context, merged);
  if (!replayed.every((result) => result.status === 'applied')) return { replayed };
  const snapshot = await context.snapshot();
  try {
    const saved = await state.save();
    if (saved === undefined) {
      logger.debug(
        `merged history: this ${throwaway.kind} throwaway cannot save what the merged migrations made`,
      );
    } else {
      await cache.write(key, { state: saved, snapshot });
      context.keepBase(merged, saved);
      logger.debug(
        `merged history: cached the state after ${merged.length} migration(s) (${megabytes(saved)} MB)`,
      );
    }
  } catch (error) {
    logger.debug(`merged history: could not cache the state: ${messageOf(error)}`);
  }
  return { replayed, snapshot };
}

/** The merged history from the cache, or undefined (said in one line) when it must be replayed. */
async function restoreMerged(
  context: ProofContext,
  cache: StateCache,
  state: ThrowawayState,
  key: string,
  merged: readonly Migration[],
): Promise<BroughtMerged | undefined> {
  const { logger } = context.options;
  const started = performance.now();
  const read = await cache.read(key);
  if (!read.found) {
    logger.info(
      `merged history: ${read.missing ? 'cache miss' : `cached state unusable (${read.reason})`}, replaying`,
    );
    return undefined;
  }
  try {
    await state.load(read.cached.state);
  } catch (error) {
    context.startTracking();
    logger.info(`merged history: cached state could not be loaded (${messageOf(error)}), replaying`);
    return undefined;
  }
  context.startTracking();
  const snapshot = await context.snapshot();
  const diff = diffSnapshots(read.cached.snapshot, snapshot);
  const differences = [...diff.changes, ...diff.notes];
  if (differences.length > 0) {
    await context.options.throwaway.reset();
    context.startTracking();
    const first = describeChange(differences[0]!);
    const more = differences.length > 1 ? ` and ${differences.length - 1} more` : '';
    logger.info(`merged history: cached state did not match its snapshot (${first}${more}), replaying`);
    return undefined;
  }
  context.applied.push(...merged);
  context.keepBase(merged, read.cached.state);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  logger.info(`merged history: restored ${merged.length} migration(s) from cache in ${seconds} s`);
  const replayed = merged.map((migration): ReplayResult => ({
    name: migration.name,
    file: context.fileOf(migration),
    status: 'applied',
    durationMs: 0,
  }));
  return { replayed, snapshot };
}

function megabytes(bytes: Uint8Array): string {
  return (bytes.byteLength / 1e6).toFixed(1);
}
