import { randomBytes } from 'node:crypto';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError, messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import { registerInterruptCleanup } from '../throwaway/interrupt-cleanup.ts';
import { createServerThrowaway } from '../throwaway/server-throwaway.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';

/**
 * The label the container throwaway puts on its containers (CONTAINER_LABEL there), so the same
 * clean-up finds these; not imported, since that module loads testcontainers eagerly.
 */
const CONTAINER_LABEL = 'migration-gate.throwaway';

/** How long the verification container may take to start and answer. */
const STARTUP_TIMEOUT_MS = 120_000;

/** A scratch database in a container started for it, and the container's root URL (never printed). */
export interface ContainerScratch {
  readonly scratch: ThrowawayDatabase;
  readonly serverUrl: string;
}

/**
 * Starts a container of `image` (the target server's image), published on 127.0.0.1 only and
 * with a random password, since a restored backup holds production data; returns a scratch
 * database on it. Disposing the scratch stops and removes the container, as does SIGINT/SIGTERM.
 */
export async function openContainerScratch(
  dialect: DialectName,
  image: string,
  logger: Logger,
): Promise<ContainerScratch> {
  logger.info(`starting container ${image} to verify the backup...`);
  const password = randomBytes(16).toString('hex');
  const started = await start(dialect, image, password).catch((error: unknown) => {
    throw new UsageError(`could not start container ${image}: ${messageOf(error)}`, { cause: error });
  });
  const stop = async () => {
    await started.stop({ remove: true, removeVolumes: true }).catch(() => {});
  };
  const unregister = registerInterruptCleanup(stop);
  try {
    const scratch = await createServerThrowaway({
      dialect,
      logger,
      image,
      kind: 'container',
      serverUrl: started.rootUrl,
      onDispose: async () => {
        unregister();
        await stop();
      },
    });
    return { scratch, serverUrl: started.rootUrl };
  } catch (error) {
    unregister();
    await stop();
    throw error;
  }
}

interface Started {
  readonly rootUrl: string;
  stop(options: { remove: boolean; removeVolumes: boolean }): Promise<unknown>;
}

async function start(dialect: DialectName, image: string, password: string): Promise<Started> {
  // Loaded on demand: testcontainers costs about half a second to load.
  if (dialect === 'postgres') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await onLoopback(new PostgreSqlContainer(image).withPassword(password))
      .withLabels({ [CONTAINER_LABEL]: 'true' })
      .withStartupTimeout(STARTUP_TIMEOUT_MS)
      .start();
    return { rootUrl: container.getConnectionUri(), stop: (o) => container.stop(o) };
  }
  if (/mariadb/i.test(image)) {
    const { MariaDbContainer } = await import('@testcontainers/mariadb');
    const container = await onLoopback(new MariaDbContainer(image).withRootPassword(password))
      .withLabels({ [CONTAINER_LABEL]: 'true' })
      .withStartupTimeout(STARTUP_TIMEOUT_MS)
      .start();
    return { rootUrl: container.getConnectionUri(true), stop: (o) => container.stop(o) };
  }
  const { MySqlContainer } = await import('@testcontainers/mysql');
  const container = await onLoopback(new MySqlContainer(image).withRootPassword(password))
    .withLabels({ [CONTAINER_LABEL]: 'true' })
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  return { rootUrl: container.getConnectionUri(true), stop: (o) => container.stop(o) };
}

/**
 * Publishes the container's ports on 127.0.0.1 only, as the container throwaway does (see
 * publishedOnLoopback there): testcontainers would publish on every interface. The dump and
 * restore programs run on this machine or with `--network host`, so loopback is enough.
 */
function onLoopback<T>(container: T): T {
  const { hostConfig } = container as unknown as {
    hostConfig: { PortBindings?: Record<string, { HostIp?: string }[]> };
  };
  for (const bindings of Object.values(hostConfig.PortBindings ?? {})) {
    for (const binding of bindings) binding.HostIp = '127.0.0.1';
  }
  return container;
}
