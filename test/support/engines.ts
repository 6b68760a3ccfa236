import { describe, inject } from 'vitest';
import type { DialectName } from '../../src/core/model/dialect.ts';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import { messageOf } from '../../src/core/model/errors.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { openThrowaway } from '../../src/core/parts/throwaway/open-throwaway.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';
import type { ContainerEngine, TestEngine } from './engine-list.ts';
import { ALL_ENGINES, conformanceSelection, PRIMARY_ENGINES } from './engine-list.ts';

/** The PG 15 server every machine here runs (trust auth). */
export const POSTGRES_URL =
  process.env['MIGRATION_GATE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The MariaDB 10.11 server every machine here runs (root, no password). */
export const MARIADB_URL = process.env['MIGRATION_GATE_TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306';

/** Server URLs of the container engines, provided by the conformance project's global setup. */
const injectedUrls = inject('containerEngineUrls');
const containerUrls: Partial<Record<ContainerEngine, string>> = injectedUrls ?? {};
/** Why the container engines are absent, when the global setup could not start them. */
const containerMissing: string | undefined = inject('containerEnginesMissing');

const selected: readonly TestEngine[] = (
  process.env['MIGRATION_GATE_TEST_ENGINES'] ?? PRIMARY_ENGINES.join(',')
)
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is TestEngine => (ALL_ENGINES as readonly string[]).includes(name));

/** The dialect an engine speaks. */
export function dialectOf(engine: TestEngine): DialectName {
  return engine === 'mariadb' || engine === 'mariadb11' || engine === 'mysql' ? 'mysql' : 'postgres';
}

/** Whether the engine is Oracle MySQL (not MariaDB), where the two differ. */
export function isOracleMysql(engine: TestEngine): boolean {
  return engine === 'mysql';
}

/** Whether the engine is a server (anything but the embedded PGlite). */
export function isServer(engine: TestEngine): boolean {
  return engine !== 'pglite';
}

/** The server URL of an engine, undefined for the embedded one. */
export function serverUrlOf(engine: TestEngine): string | undefined {
  if (engine === 'postgres') return POSTGRES_URL;
  if (engine === 'mariadb') return MARIADB_URL;
  if (engine === 'pglite') return undefined;
  const url = containerUrls[engine];
  if (url === undefined)
    throw new Error(`engine ${engine} has no server: ${containerMissing ?? 'not started'}`);
  return url;
}

async function unavailableReason(engine: TestEngine): Promise<string | undefined> {
  if (engine === 'pglite') return undefined;
  if (engine !== 'postgres' && engine !== 'mariadb' && containerUrls[engine] === undefined)
    return `no container: ${containerMissing ?? 'the conformance project starts it (npx vitest run --project conformance)'}`;
  try {
    const { db } = await openDatabase(parseConnectionUrl(serverUrlOf(engine)!), { connectTimeoutMs: 3_000 });
    await db.destroy();
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}

/** Whether this file runs in the conformance project, whose global setup starts the container engines. */
const inConformanceProject = injectedUrls !== undefined || containerMissing !== undefined;
const asked: readonly TestEngine[] = inConformanceProject
  ? [...new Set([...conformanceSelection(), ...selected])]
  : selected;

const reasons = new Map<TestEngine, string | undefined>(
  await Promise.all(asked.map(async (engine) => [engine, await unavailableReason(engine)] as const)),
);

/** Whether an engine answers; an engine that does not is skipped on a laptop, and fails CI. */
function answers(engine: TestEngine): boolean {
  const reason = reasons.get(engine);
  if (reason === undefined) return true;
  if (process.env['CI'] === 'true')
    throw new Error(`engine ${engine} is required in CI but unavailable: ${reason}`);
  console.warn(`skipping engine ${engine}: ${reason}`);
  return false;
}

/**
 * The engines to test on now. An engine that does not answer is skipped with its reason on a
 * laptop; in CI (CI=true) that is a failure, so a green CI never hides an untested engine.
 */
export const AVAILABLE_ENGINES: readonly TestEngine[] = selected.filter(answers);

/**
 * All seven engines (or those MIGRATION_GATE_CONFORMANCE_ENGINES names), for the conformance
 * suite's own files (test/conformance/), which prove the same thing on each; empty outside the
 * conformance project.
 */
export const CONFORMANCE_ENGINES: readonly TestEngine[] = inConformanceProject
  ? conformanceSelection().filter(answers)
  : [];

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

declare module 'vitest' {
  export interface ProvidedContext {
    containerEngineUrls?: Partial<Record<ContainerEngine, string>>;
    containerEnginesMissing?: string;
  }
}
