import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type * as actionsCache from '@actions/cache';
import { messageOf } from '../core/model/errors.ts';
import type { Logger } from '../core/model/logger.ts';

/** What the action uses of @actions/cache; injected, so a test can stand in for the service. */
export type CacheService = Pick<typeof actionsCache, 'isFeatureAvailable' | 'restoreCache' | 'saveCache'>;

/** Every key of the states folder starts so; a restore takes the newest entry under it. */
export const STATES_KEY_PREFIX = 'migration-gate-states-1-';

/**
 * The Actions cache key of the states folder: names the states it holds. A cache entry never
 * changes once saved, so a folder holding a new state is saved under a new key, and a folder
 * restored unchanged is not saved again.
 */
export function statesCacheKey(stateFiles: readonly string[]): string {
  const names = [...stateFiles].sort().join('\n');
  return `${STATES_KEY_PREFIX}${createHash('sha256').update(names).digest('hex').slice(0, 32)}`;
}

/** The states in the folder, by file name; none when it does not exist. */
export async function stateFilesIn(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => []);
  return names.filter((name) => name.endsWith('.state'));
}

/**
 * Restores the states folder saved by an earlier run (on a pull request, its own or its base
 * branch's). Returns the key restored, or undefined. The cache only ever saves time: a service
 * that is missing or fails is said in the log and never fails the check.
 */
export async function restoreStates(
  folder: string,
  service: CacheService,
  logger: Logger,
): Promise<string | undefined> {
  if (!service.isFeatureAvailable()) {
    logger.info('merged history: the Actions cache is not available here, nothing restored');
    return undefined;
  }
  try {
    const key = await service.restoreCache([folder], STATES_KEY_PREFIX, [STATES_KEY_PREFIX]);
    logger.info(
      key === undefined
        ? 'merged history: no saved state in the Actions cache'
        : `merged history: restored ${key} from the Actions cache`,
    );
    return key;
  } catch (error) {
    logger.info(`merged history: could not restore from the Actions cache: ${messageOf(error)}`);
    return undefined;
  }
}

/**
 * Saves the states folder when the check added a state to it (its key is not the one
 * restored); a service error is said in the log and never fails the check.
 */
export async function saveStates(
  folder: string,
  restored: string | undefined,
  service: CacheService,
  logger: Logger,
): Promise<void> {
  const files = await stateFilesIn(folder);
  if (files.length === 0 || !service.isFeatureAvailable()) return;
  const key = statesCacheKey(files);
  if (key === restored) return;
  try {
    await service.saveCache([folder], key);
    logger.info(`merged history: saved ${key} to the Actions cache`);
  } catch (error) {
    logger.info(`merged history: could not save to the Actions cache: ${messageOf(error)}`);
  }
}
