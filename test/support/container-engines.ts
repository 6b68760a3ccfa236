import { MariaDbContainer } from '@testcontainers/mariadb';
import { MySqlContainer } from '@testcontainers/mysql';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import type { StartedTestContainer } from 'testcontainers';
import { messageOf } from '../../src/core/model/errors.ts';
import { CONTAINER_IMAGES } from './docker.ts';
import type { ContainerEngine } from './engine-list.ts';
import { CONTAINER_ENGINES } from './engine-list.ts';

// A password with characters a URL must encode, so every engine is reached as users write it.
// (Not a quote or `$`: @testcontainers/postgresql pastes it unquoted into its pg_isready check.)
const PASSWORD = 'conf:pass@word/1';

/** The variable that points the suites at an engine already running, instead of a container. */
function urlVariableOf(engine: ContainerEngine): string {
  return `MIGRATION_GATE_TEST_${engine.toUpperCase()}_URL`;
}

/** The container engines that answer, by root URL, and why the others do not. */
export interface ContainerEngines extends AsyncDisposable {
  readonly urls: Partial<Record<ContainerEngine, string>>;
  readonly failures: readonly string[];
}

/**
 * Starts one engine through testcontainers' own module, as GitHub's runners do, unless
 * MIGRATION_GATE_TEST_<ENGINE>_URL names a server of that engine already running.
 */
async function startEngine(
  engine: ContainerEngine,
): Promise<{ url: string; container?: StartedTestContainer }> {
  const running = process.env[urlVariableOf(engine)];
  if (running !== undefined && running !== '') return { url: running };
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
 * PostgreSQL 17 and 18, MariaDB 11.8 and MySQL 9.7, started in parallel (or found running);
 * disposing stops the containers this call started.
 */
export async function startContainerEngines(): Promise<ContainerEngines> {
  const started = await Promise.allSettled(CONTAINER_ENGINES.map((engine) => startEngine(engine)));
  const urls: Partial<Record<ContainerEngine, string>> = {};
  const failures: string[] = [];
  started.forEach((outcome, index) => {
    const engine = CONTAINER_ENGINES[index]!;
    if (outcome.status === 'fulfilled') urls[engine] = outcome.value.url;
    else failures.push(`${engine} (${CONTAINER_IMAGES[engine]}): ${messageOf(outcome.reason)}`);
  });
  return {
    urls,
    failures,
    async [Symbol.asyncDispose]() {
      await Promise.all(
        started.map((outcome) =>
          outcome.status === 'fulfilled'
            ? outcome.value.container?.stop({ remove: true, removeVolumes: true })
            : undefined,
        ),
      );
    },
  };
}
