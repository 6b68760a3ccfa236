import { describe } from 'vitest';
import type { DialectName } from '../../src/core/model/dialect.ts';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import { messageOf } from '../../src/core/model/errors.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { openThrowaway } from '../../src/core/parts/throwaway/open-throwaway.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';

/**
 * The engines the database suites run on, like Kysely's DIALECTS: every one by default,
 * a subset with MIGRATION_GATE_TEST_ENGINES=postgres,pglite.
 */
export type TestEngine = 'postgres' | 'mariadb' | 'pglite';

const ALL_ENGINES: readonly TestEngine[] = ['postgres', 'mariadb', 'pglite'];

/** The PG 15 server every machine here runs (trust auth). */
export const POSTGRES_URL =
  process.env['MIGRATION_GATE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The MariaDB 10.11 server every machine here runs (root, no password). */
export const MARIADB_URL = process.env['MIGRATION_GATE_TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306';

const selected: readonly TestEngine[] = (process.env['MIGRATION_GATE_TEST_ENGINES'] ?? ALL_ENGINES.join(','))
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is TestEngine => (ALL_ENGINES as readonly string[]).includes(name));

/** The dialect an engine speaks. */
export function dialectOf(engine: TestEngine): DialectName {
  return engine === 'mariadb' ? 'mysql' : 'postgres';
}

/** The server URL of an engine, undefined for the embedded one. */
export function serverUrlOf(engine: TestEngine): string | undefined {
  if (engine === 'postgres') return POSTGRES_URL;
  if (engine === 'mariadb') return MARIADB_URL;
  return undefined;
}

async function unavailableReason(engine: TestEngine): Promise<string | undefined> {
  const url = serverUrlOf(engine);
  if (url === undefined) return undefined;
  try {
    const { db } = await openDatabase(parseConnectionUrl(url), { connectTimeoutMs: 3_000 });
    await db.destroy();
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}

const reasons = new Map<TestEngine, string | undefined>(
  await Promise.all(selected.map(async (engine) => [engine, await unavailableReason(engine)] as const)),
);

/**
 * The engines to test on now. An engine that does not answer is skipped with its reason on a
 * laptop; in CI (CI=true) that is a failure, so a green CI never hides an untested engine.
 */
export const AVAILABLE_ENGINES: readonly TestEngine[] = selected.filter((engine) => {
  const reason = reasons.get(engine);
  if (reason === undefined) return true;
  if (process.env['CI'] === 'true')
    throw new Error(`engine ${engine} is required in CI but unavailable: ${reason}`);
  console.warn(`skipping engine ${engine}: ${reason}`);
  return false;
});

/** `describe` once per available engine. */
export function describeEachEngine(
  name: string,
  body: (engine: TestEngine) => void,
  engines: readonly TestEngine[] = AVAILABLE_ENGINES,
): void {
  for (const engine of engines) describe(`${name} [${engine}]`, () => body(engine));
}

/** A throwaway database on the engine: a scratch database on the server, or a fresh PGlite. */
export function openTestThrowaway(
  engine: TestEngine,
  extensions?: readonly string[],
): Promise<ThrowawayDatabase> {
  const serverUrl = serverUrlOf(engine);
  return openThrowaway(serverUrl === undefined ? 'embedded' : 'server', {
    dialect: dialectOf(engine),
    logger: silentLogger,
    ...(serverUrl === undefined ? {} : { serverUrl }),
    ...(extensions === undefined ? {} : { extensions }),
  });
}
