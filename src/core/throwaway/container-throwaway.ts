import { MariaDbContainer } from '@testcontainers/mariadb';
import { MySqlContainer } from '@testcontainers/mysql';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { UsageError, messageOf } from '../errors.ts';
import { dockerAnswers } from './docker-ping.ts';
import { registerInterruptCleanup } from './interrupt-cleanup.ts';
import { createServerThrowaway } from './server-throwaway.ts';
import type { ThrowawayDatabase, ThrowawayOptions } from './throwaway.ts';

/** The image used when none is given: the official image of the dialect. */
export const DEFAULT_IMAGES = { postgres: 'postgres:16-alpine', mysql: 'mysql:8.4' } as const;

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
  readonly rootUrl: string;
  stop(options: { remove: boolean; removeVolumes: boolean }): Promise<unknown>;
}

async function startContainer(image: string, options: ThrowawayOptions): Promise<StartedDatabaseContainer> {
  if (options.dialect === 'postgres') {
    const container = await new PostgreSqlContainer(image).withStartupTimeout(STARTUP_TIMEOUT_MS).start();
    return { rootUrl: container.getConnectionUri(), stop: (o) => container.stop(o) };
  }
  // Root can create the scratch databases; the modules' default user cannot.
  const module = /mariadb/i.test(image) ? new MariaDbContainer(image) : new MySqlContainer(image);
  const container = await module.withStartupTimeout(STARTUP_TIMEOUT_MS).start();
  return { rootUrl: container.getConnectionUri(true), stop: (o) => container.stop(o) };
}
