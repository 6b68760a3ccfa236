import { MariaDbContainer } from '@testcontainers/mariadb';
import { MySqlContainer } from '@testcontainers/mysql';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import type { StartedTestContainer } from 'testcontainers';
import type { TestProject } from 'vitest/node';
import { messageOf } from '../../src/core/model/errors.ts';
import { dockerAnswers } from '../../src/core/parts/throwaway/docker-ping.ts';
import { CONTAINER_IMAGES } from '../support/docker.ts';
import type { ContainerEngine } from '../support/engine-list.ts';
import { CONTAINER_ENGINES } from '../support/engine-list.ts';

// A password with characters a URL must encode, so every engine is reached as users write it.
// (Not a quote or `$`: @testcontainers/postgresql pastes it unquoted into its pg_isready check.)
const PASSWORD = 'conf:pass@word/1';

/** Starts one engine through testcontainers' own module, as GitHub's runners do. */
async function startEngine(
  engine: ContainerEngine,
): Promise<{ url: string; container: StartedTestContainer }> {
  const image = CONTAINER_IMAGES[engine];
  if (engine === 'postgres17' || engine === 'postgres18') {
    const container = await new PostgreSqlContainer(image)
      .withUsername('postgres')
      .withPassword(PASSWORD)
      .withDatabase('postgres')
      .start();
    return { url: container.getConnectionUri(), container };
  }
  const module = engine === 'mariadb11' ? new MariaDbContainer(image) : new MySqlContainer(image);
  const container = await module.withRootPassword(PASSWORD).start();
  const url = new URL(container.getConnectionUri(true));
  url.pathname = '';
  return { url: url.toString(), container };
}

/**
 * A server already running for the engine, named by MIGRATION_GATE_TEST_<ENGINE>_URL (shared
 * between sessions on one machine, so each run does not start its own), or a new container.
 */
async function runningOrStarted(
  engine: ContainerEngine,
): Promise<{ url: string; container?: StartedTestContainer }> {
  const running = process.env[`MIGRATION_GATE_TEST_${engine.toUpperCase()}_URL`];
  return running === undefined || running === '' ? startEngine(engine) : { url: running };
}

/**
 * The conformance project's global setup: starts PostgreSQL 17 and 18, MariaDB 11.8 and MySQL
 * 9.7 once for the whole run, in parallel, and hands their root URLs to the test files
 * (test/support/engines.ts injects them). Without Docker the engines are reported missing, and
 * the test files skip them, or fail in CI.
 */
export default async function startEngines(project: TestProject): Promise<() => Promise<void>> {
  if (!(await dockerAnswers())) {
    project.provide(
      'containerEnginesMissing',
      'no Docker engine answers (bash test/docker/prepare.sh starts one)',
    );
    return async () => {};
  }
  const started = await Promise.allSettled(CONTAINER_ENGINES.map((engine) => runningOrStarted(engine)));
  const urls: Partial<Record<ContainerEngine, string>> = {};
  const failures: string[] = [];
  started.forEach((outcome, index) => {
    const engine = CONTAINER_ENGINES[index]!;
    if (outcome.status === 'fulfilled') urls[engine] = outcome.value.url;
    else failures.push(`${engine} (${CONTAINER_IMAGES[engine]}): ${messageOf(outcome.reason)}`);
  });
  project.provide('containerEngineUrls', urls);
  if (failures.length > 0) project.provide('containerEnginesMissing', failures.join('; '));
  return async () => {
    await Promise.all(
      started.map((outcome) =>
        outcome.status === 'fulfilled'
          ? outcome.value.container?.stop({ remove: true, removeVolumes: true })
          : undefined,
      ),
    );
  };
}
