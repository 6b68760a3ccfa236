import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as actionsCache from '@actions/cache';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Logger } from '../../src/core/model/logger.ts';
import type { CacheService } from '../../src/action/state-cache-service.ts';
import {
  STATES_KEY_PREFIX,
  restoreStates,
  saveStates,
  statesCacheKey,
} from '../../src/action/state-cache-service.ts';

function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (line) => lines.push(line), warn: (line) => lines.push(line), debug: () => {} };
}

/** Stands in for the Actions cache service (which exists only on a runner): records each call. */
function recordingService(restored: string | undefined): CacheService & { readonly calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    isFeatureAvailable: () => true,
    restoreCache: async (...args: unknown[]) => {
      calls.push(['restoreCache', ...args]);
      return restored;
    },
    saveCache: async (...args: unknown[]) => {
      calls.push(['saveCache', ...args]);
      return 1;
    },
  } as CacheService & { readonly calls: unknown[][] };
}

describe('the Actions cache key of the states folder', () => {
  test('names the states it holds, whatever their order', () => {
    const key = statesCacheKey(['b.state', 'a.state']);
    expect(key).toBe(statesCacheKey(['a.state', 'b.state']));
    expect(key.startsWith(STATES_KEY_PREFIX)).toBe(true);
    expect(key).toMatch(/^migration-gate-states-1-[0-9a-f]{32}$/);
  });

  test('changes when a state is added or replaced', () => {
    const key = statesCacheKey(['a.state']);
    expect(statesCacheKey(['a.state', 'b.state'])).not.toBe(key);
    expect(statesCacheKey(['c.state'])).not.toBe(key);
  });
});

describe('keeping the states folder in the Actions cache', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'migration-gate-states-'));
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(folder, { recursive: true, force: true });
  });

  test('restores the newest entry under the prefix', async () => {
    const service = recordingService(`${STATES_KEY_PREFIX}abc`);
    const logger = recordingLogger();
    expect(await restoreStates(folder, service, logger)).toBe(`${STATES_KEY_PREFIX}abc`);
    expect(service.calls).toEqual([['restoreCache', [folder], STATES_KEY_PREFIX, [STATES_KEY_PREFIX]]]);
    expect(logger.lines).toEqual([`merged history: restored ${STATES_KEY_PREFIX}abc from the Actions cache`]);
  });

  test('saves the folder under the key of its states when the check added one', async () => {
    await writeFile(join(folder, 'one.state'), 'x');
    const service = recordingService(undefined);
    await saveStates(folder, undefined, service, recordingLogger());
    expect(service.calls).toEqual([['saveCache', [folder], statesCacheKey(['one.state'])]]);
  });

  test('does not save a folder restored unchanged, nor an empty one', async () => {
    const service = recordingService(undefined);
    await saveStates(folder, undefined, service, recordingLogger());
    await writeFile(join(folder, 'one.state'), 'x');
    await saveStates(folder, statesCacheKey(['one.state']), service, recordingLogger());
    expect(service.calls).toEqual([]);
  });

  test('a service that throws is said in the log and never fails the check', async () => {
    await writeFile(join(folder, 'one.state'), 'x');
    const failing: CacheService = {
      isFeatureAvailable: () => true,
      restoreCache: () => Promise.reject(new Error('cache service unavailable')),
      saveCache: () => Promise.reject(new Error('another job may be creating this cache')),
    };
    const logger = recordingLogger();
    expect(await restoreStates(folder, failing, logger)).toBeUndefined();
    await saveStates(folder, undefined, failing, logger);
    expect(logger.lines).toEqual([
      'merged history: could not restore from the Actions cache: cache service unavailable',
      'merged history: could not save to the Actions cache: another job may be creating this cache',
    ]);
  });

  test('off a runner, nothing is restored nor saved', async () => {
    vi.stubEnv('ACTIONS_CACHE_URL', '');
    vi.stubEnv('ACTIONS_RESULTS_URL', '');
    vi.stubEnv('ACTIONS_CACHE_SERVICE_V2', '');
    await writeFile(join(folder, 'one.state'), 'x');
    const logger = recordingLogger();
    expect(await restoreStates(folder, actionsCache, logger)).toBeUndefined();
    await saveStates(folder, undefined, actionsCache, logger);
    expect(logger.lines).toEqual([
      'merged history: the Actions cache is not available here, nothing restored',
    ]);
  });

  test('@actions/cache against a results service that refuses every request fails neither the restore nor the save', async () => {
    const server = createServer((_request, response) => {
      // A 4xx, which the toolkit does not retry (a 5xx is retried with back-off for half a minute).
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end('{"code":"invalid_argument","msg":"refused"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      vi.stubEnv('ACTIONS_CACHE_SERVICE_V2', 'true');
      vi.stubEnv('ACTIONS_RESULTS_URL', `http://127.0.0.1:${port}/`);
      vi.stubEnv('ACTIONS_RUNTIME_TOKEN', 'token');
      await writeFile(join(folder, 'one.state'), 'x');
      const logger = recordingLogger();
      expect(await restoreStates(folder, actionsCache, logger)).toBeUndefined();
      await saveStates(folder, undefined, actionsCache, logger);
      expect(logger.lines[0]).toMatch(/^merged history: (no saved state|could not restore)/);
    } finally {
      server.close();
    }
  });
});
