import { randomBytes } from 'node:crypto';
import type { GenericContainer, StartedTestContainer } from 'testcontainers';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError, messageOf } from '../../model/errors.ts';
import { dockerAnswers } from './docker-ping.ts';
import { registerInterruptCleanup } from './interrupt-cleanup.ts';

/** The label on every database container this tool starts, so people and tests can find them. */
export const CONTAINER_LABEL = 'migration-gate.throwaway';

/** How long a container may take to start and answer before the run fails. */
const STARTUP_TIMEOUT_MS = 120_000;

/** A database server in a container this process started. */
export interface DatabaseContainer {
  /** The full container id. */
  readonly id: string;
  /** The root user's URL, with a password made for this container: never print it. */
  readonly rootUrl: string;
  /** Stops and removes the container with its volumes; only the first call does. Never throws. */
  stop(): Promise<void>;
}

/**
 * Starts a database server of `image` (a MariaDB image by its name, else MySQL, for `mysql`)
 * through testcontainers, with a random root password, and stops it on SIGINT/SIGTERM too.
 * Throws a UsageError naming the image when no Docker engine answers (ending in `noDockerHint`,
 * what to do instead) or when the container does not start and answer.
 */
export async function startDatabaseContainer(
  dialect: DialectName,
  image: string,
  noDockerHint: string,
): Promise<DatabaseContainer> {
  // Asked first, so that without Docker the run fails at once, without loading testcontainers.
  if (!(await dockerAnswers())) {
    throw new UsageError(`could not start container ${image}: no Docker engine answers (${noDockerHint})`);
  }
  const started = await startContainer(dialect, image, randomBytes(16).toString('hex')).catch(
    (error: unknown) => {
      throw new UsageError(`could not start container ${image}: ${messageOf(error)}`, { cause: error });
    },
  );
  let stopped: Promise<void> | undefined;
  const stop = () => {
    unregister();
    stopped ??= started.container.stop({ remove: true, removeVolumes: true }).then(
      () => {},
      () => {},
    );
    return stopped;
  };
  const unregister = registerInterruptCleanup(stop);
  return { id: started.container.getId(), rootUrl: started.rootUrl, stop };
}

interface StartedDatabase {
  readonly container: StartedTestContainer;
  readonly rootUrl: string;
}

async function startContainer(
  dialect: DialectName,
  image: string,
  password: string,
): Promise<StartedDatabase> {
  // Loaded on demand: testcontainers costs about half a second to load.
  const { getContainerRuntimeClient } = await import('testcontainers');
  const { host } = (await getContainerRuntimeClient()).info.containerRuntime;
  const prepare = <T extends GenericContainer>(container: T): T =>
    publishedFor(host, container)
      .withLabels({ [CONTAINER_LABEL]: 'true' })
      .withStartupTimeout(STARTUP_TIMEOUT_MS);
  if (dialect === 'postgres') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await prepare(new PostgreSqlContainer(image).withPassword(password)).start();
    return { container, rootUrl: container.getConnectionUri() };
  }
  // Root, since the modules' default user cannot create the scratch databases.
  if (/mariadb/i.test(image)) {
    const { MariaDbContainer } = await import('@testcontainers/mariadb');
    const container = await prepare(new MariaDbContainer(image).withRootPassword(password)).start();
    return { container, rootUrl: container.getConnectionUri(true) };
  }
  const { MySqlContainer } = await import('@testcontainers/mysql');
  const container = await prepare(new MySqlContainer(image).withRootPassword(password)).start();
  return { container, rootUrl: container.getConnectionUri(true) };
}

/**
 * Publishes the container's ports on 127.0.0.1 only when testcontainers reaches them on
 * loopback (`host`: TESTCONTAINERS_HOST_OVERRIDE, else found by testcontainers). Testcontainers
 * publishes on every interface, which would expose the database to the whole network the runner
 * or laptop is on. Inside a job container with the Docker socket mounted, testcontainers reaches
 * the ports through the bridge gateway, which a loopback-only port would shut out, so they stay
 * as they are. The port bindings are protected: reached here through a cast, and guarded by the
 * test that reads `docker port`.
 */
function publishedFor<T extends GenericContainer>(host: string, container: T): T {
  if (!isLoopback(host)) return container;
  const { hostConfig } = container as unknown as {
    hostConfig: { PortBindings?: Record<string, { HostIp?: string }[]> };
  };
  for (const bindings of Object.values(hostConfig.PortBindings ?? {})) {
    for (const binding of bindings) binding.HostIp = '127.0.0.1';
  }
  return container;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
