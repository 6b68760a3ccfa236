import { MariaDbContainer } from '@testcontainers/mariadb';
import { MySqlContainer } from '@testcontainers/mysql';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { getContainerRuntimeClient } from 'testcontainers';
import type { GenericContainer } from 'testcontainers';
import { UsageError, messageOf } from '../../model/errors.ts';
import { dockerAnswers } from './docker-ping.ts';
import { registerInterruptCleanup } from './interrupt-cleanup.ts';
import { createServerThrowaway } from './server-throwaway.ts';
import type { ThrowawayDatabase, ThrowawayOptions } from './throwaway.ts';

/** The image used when none is given: the official image of the dialect. */
export const DEFAULT_IMAGES = { postgres: 'postgres:16-alpine', mysql: 'mysql:8.4' } as const;

/** The label on every container this tool starts, so people and tests can find them. */
export const CONTAINER_LABEL = 'migration-gate.throwaway';

/** How long a container may take to start and answer before the run fails. */
const STARTUP_TIMEOUT_MS = 120_000;

/**
 * A database server in a container started through testcontainers, with a scratch database
 * on it; the container is stopped and removed on disposal and on SIGINT/SIGTERM.
 */
export async function createContainerThrowaway(options: ThrowawayOptions): Promise<ThrowawayDatabase> {
  const image = options.image ?? DEFAULT_IMAGES[options.dialect];
  options.logger.info(`starting container ${image}...`);
  const started = await startContainer(image, options).catch(async (error: unknown) => {
    const why = (await dockerAnswers())
      ? messageOf(error)
      : 'no Docker engine answers (start Docker, or use --throwaway server --server-url ... or, for Postgres, --throwaway embedded)';
    throw new UsageError(`could not start container ${image}: ${why}`, { cause: error });
  });
  options.logger.info(`container ${started.id.slice(0, 12)} is up`);
  const stop = async () => {
    await started.stop({ remove: true, removeVolumes: true }).catch(() => {});
  };
  const unregister = registerInterruptCleanup(stop);
  try {
    return await createServerThrowaway({
      ...options,
      image,
      kind: 'container',
      serverUrl: started.rootUrl,
      onDispose: async () => {
        unregister();
        await stop();
      },
    });
  } catch (error) {
    unregister();
    await stop();
    throw error;
  }
}

interface StartedDatabaseContainer {
  readonly id: string;
  readonly rootUrl: string;
  stop(options: { remove: boolean; removeVolumes: boolean }): Promise<unknown>;
}

async function startContainer(image: string, options: ThrowawayOptions): Promise<StartedDatabaseContainer> {
  // Inside a container (a job container with the Docker socket mounted) testcontainers reaches
  // published ports through the bridge gateway, which a loopback-only port would shut out.
  const { info } = await getContainerRuntimeClient();
  const loopbackOnly = isLoopback(info.containerRuntime.host);
  if (options.dialect === 'postgres') {
    const container = await publishedOnLoopback(new PostgreSqlContainer(image), loopbackOnly)
      .withLabels({ [CONTAINER_LABEL]: 'true' })
      .withStartupTimeout(STARTUP_TIMEOUT_MS)
      .start();
    return { id: container.getId(), rootUrl: container.getConnectionUri(), stop: (o) => container.stop(o) };
  }
  // Root can create the scratch databases; the modules' default user cannot.
  const module = /mariadb/i.test(image) ? new MariaDbContainer(image) : new MySqlContainer(image);
  const container = await publishedOnLoopback(module, loopbackOnly)
    .withLabels({ [CONTAINER_LABEL]: 'true' })
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  return { id: container.getId(), rootUrl: container.getConnectionUri(true), stop: (o) => container.stop(o) };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * Publishes the container's ports on 127.0.0.1 only. Testcontainers publishes on every
 * interface, which would expose a database with a known password to the whole network the
 * runner or laptop is on. Its port bindings are protected: reached here through a cast, and
 * guarded by the test that reads `docker port`.
 */
function publishedOnLoopback<T extends GenericContainer>(container: T, loopbackOnly: boolean): T {
  if (!loopbackOnly) return container;
  const { hostConfig } = container as unknown as {
    hostConfig: { PortBindings?: Record<string, { HostIp?: string }[]> };
  };
  for (const bindings of Object.values(hostConfig.PortBindings ?? {})) {
    for (const binding of bindings) binding.HostIp = '127.0.0.1';
  }
  return container;
}
