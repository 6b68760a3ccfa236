import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { describe, expect, test } from 'vitest';
import type { Logger } from '../../src/core/model/logger.ts';
import { parseConnectionUrl, withDatabase } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import { parseOwnerMarker, ownerMarker } from '../../src/core/parts/throwaway/scratch-owner.ts';
import { scratchDatabaseName } from '../../src/core/parts/throwaway/scratch-name.ts';
import { staleReason } from '../../src/core/parts/throwaway/scratch-staleness.ts';
import type { ScratchSighting } from '../../src/core/parts/throwaway/scratch-staleness.ts';
import { createServerThrowaway } from '../../src/core/parts/throwaway/server-throwaway.ts';
import {
  AVAILABLE_ENGINES,
  describeEachEngine,
  dialectOf,
  isServer,
  serverUrlOf,
} from '../support/engines.ts';
import { ScratchServer, deadPid } from './scratch-leftovers.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter(isServer);
const HOUR = 3_600_000;

describe('a scratch database is stale only when its owner is gone, nothing is connected and it is old', () => {
  const here = { host: 'ci-1', isAlive: (pid: number) => pid === 100 };
  const sighting = (owner: { host: string; pid: number }, ageMs: number, sessions = 0): ScratchSighting => ({
    name: 'migration_gate_20261207050000_0badcafe',
    owner: { ...owner, started: '2026-12-07T05:00:00.000Z' },
    ageMs,
    sessions,
  });

  test('owner process gone on this host, no session, 11 minutes old: stale', () => {
    expect(staleReason(sighting({ host: 'ci-1', pid: 200 }, 11 * 60_000), here)).toBe(
      'process 200 on ci-1 is gone, no session, 11 min old',
    );
  });

  test('owner process gone but only 5 minutes old: kept (a fresh run may just have no session)', () => {
    expect(staleReason(sighting({ host: 'ci-1', pid: 200 }, 5 * 60_000), here)).toBeUndefined();
  });

  test('owner process alive on this host: kept, however old', () => {
    expect(staleReason(sighting({ host: 'ci-1', pid: 100 }, 48 * HOUR), here)).toBeUndefined();
  });

  test('a session is connected: kept, whatever the owner', () => {
    expect(staleReason(sighting({ host: 'ci-1', pid: 200 }, 48 * HOUR, 1), here)).toBeUndefined();
  });

  test('owner on another host: kept for a day, stale after', () => {
    expect(staleReason(sighting({ host: 'ci-2', pid: 100 }, 23 * HOUR), here)).toBeUndefined();
    expect(staleReason(sighting({ host: 'ci-2', pid: 100 }, 25 * HOUR), here)).toBe(
      'owner on ci-2 (pid 100), no session, 25 h old',
    );
  });
});

describe('the owner marker', () => {
  test('reads back what was written', () => {
    const owner = { host: 'ci-1', pid: 42, started: '2026-12-07T05:00:00.000Z' };
    expect(parseOwnerMarker(ownerMarker(owner))).toEqual(owner);
  });

  test('is not found in a comment somebody else wrote', () => {
    expect(parseOwnerMarker(null)).toBeUndefined();
    expect(parseOwnerMarker('nightly copy of prod')).toBeUndefined();
    expect(parseOwnerMarker('migration-gate scratch database {"host":"x"}')).toBeUndefined();
  });
});

describeEachEngine(
  'sweeping scratch databases on a shared server',
  (engine) => {
    const serverUrl = serverUrlOf(engine)!;

    function recordingLogger(): Logger & { readonly lines: string[] } {
      const lines: string[] = [];
      const push = (message: string) => void lines.push(message);
      return { lines, info: push, warn: push, debug: () => {} };
    }

    function open(logger: Logger = recordingLogger()) {
      return createServerThrowaway({ dialect: dialectOf(engine), logger, serverUrl });
    }

    async function nameOf(db: Kysely<any>): Promise<string> {
      const query =
        dialectOf(engine) === 'postgres'
          ? sql<{ name: string }>`select current_database() as name`
          : sql<{
              name: string;
            }>`select database() as name`;
      return (await query.execute(db)).rows[0]!.name;
    }

    /** A scratch database left as a killed run leaves it: its connections closed, never dropped. */
    async function leftover(): Promise<string> {
      const throwaway = await open();
      const name = await nameOf(throwaway.db);
      // Closing the connection without disposing: the database stays, as after SIGKILL.
      await throwaway.db.destroy();
      return name;
    }

    test('a run drops a leftover whose owner is gone and says so; the mark names host and pid', async () => {
      await using server = await ScratchServer.open(engine);
      const name = await leftover();
      try {
        await server.forgeOwner(name, { pid: deadPid(), agoMs: HOUR });
        const logger = recordingLogger();
        await using _next = await open(logger);
        expect(await server.exists(name)).toBe(false);
        expect(logger.lines.join('\n')).toMatch(
          new RegExp(`swept stale scratch database ${name} on \\S+ \\(process \\d+ on ${hostname()} is gone`),
        );
      } finally {
        await server.drop(name);
      }
    });

    test("another run's live scratch database survives a sweep, even an hour old", async () => {
      await using server = await ScratchServer.open(engine);
      await using live = await open();
      const name = await nameOf(live.db);
      // This process is its owner and alive; make it old, so only that protects it.
      await server.forgeOwner(name, { pid: process.pid, agoMs: HOUR });
      const logger = recordingLogger();
      await using _next = await open(logger);
      expect(await server.exists(name)).toBe(true);
      expect(logger.lines.join('\n')).not.toContain(name);
      await sql`create table still_here (id int)`.execute(live.db);
    });

    test('a leftover with a session connected survives', async () => {
      await using server = await ScratchServer.open(engine);
      const name = await leftover();
      const session = await openDatabase(withDatabase(parseConnectionUrl(serverUrl), name));
      try {
        await server.forgeOwner(name, { pid: deadPid(), agoMs: HOUR });
        await using _next = await open();
        expect(await server.exists(name)).toBe(true);
      } finally {
        await session.db.destroy();
        await server.drop(name);
      }
    });

    test('a young leftover of a gone owner survives until it is ten minutes old', async () => {
      await using server = await ScratchServer.open(engine);
      const name = await leftover();
      try {
        await server.forgeOwner(name, { pid: deadPid(), agoMs: 60_000 });
        await using _next = await open();
        expect(await server.exists(name)).toBe(true);
      } finally {
        await server.drop(name);
      }
    });

    test('a database named like a scratch database but not marked by us survives', async () => {
      await using server = await ScratchServer.open(engine);
      const name = scratchDatabaseName(new Date(Date.now() - 48 * HOUR));
      await server.createUnmarked(name);
      try {
        await using _next = await open();
        expect(await server.exists(name)).toBe(true);
      } finally {
        await server.drop(name);
      }
    });
  },
  SERVER_ENGINES,
);
