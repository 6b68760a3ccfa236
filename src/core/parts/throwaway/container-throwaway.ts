import { startDatabaseContainer } from './database-container.ts';
import { createServerThrowaway } from './server-throwaway.ts';
import type { ThrowawayDatabase, ThrowawayOptions } from './throwaway.ts';

/** The image used when none is given: the official image of the dialect. */
export const DEFAULT_IMAGES = { postgres: 'postgres:16-alpine', mysql: 'mysql:8.4' } as const;

/** The image a container throwaway runs: the one given, else the dialect's official one. */
export function containerImage(options: Pick<ThrowawayOptions, 'dialect' | 'image'>): string {
  return options.image ?? DEFAULT_IMAGES[options.dialect];
}

/**
 * A database server in a container started through testcontainers, with a scratch database
 * on it; the container is stopped and removed on disposal and on SIGINT/SIGTERM.
 */
export async function createContainerThrowaway(options: ThrowawayOptions): Promise<ThrowawayDatabase> {
  const image = containerImage(options);
  options.logger.info(`starting container ${image}...`);
  const { scratch } = await openContainerScratch({
    ...options,
    image,
    noDockerHint:
      'start Docker, or use --throwaway server --server-url ... or, for Postgres, --throwaway embedded',
  });
  return scratch;
}

/** A scratch database in a container started for it, and the container's root URL (never printed). */
export interface ContainerScratch {
  readonly scratch: ThrowawayDatabase;
  readonly serverUrl: string;
}

/**
 * Starts a container of `image` (see startDatabaseContainer) and opens a scratch database on
 * it. Disposing the scratch stops and removes the container, as does a failure to open it.
 */
export async function openContainerScratch(
  options: ThrowawayOptions & { readonly image: string; readonly noDockerHint: string },
): Promise<ContainerScratch> {
  const { noDockerHint, ...throwawayOptions } = options;
  const container = await startDatabaseContainer(options.dialect, options.image, noDockerHint);
  options.logger.info(`container ${container.id.slice(0, 12)} is up`);
  try {
    const scratch = await createServerThrowaway({
      ...throwawayOptions,
      kind: 'container',
      serverUrl: container.rootUrl,
      onDispose: container.stop,
    });
    return { scratch, serverUrl: container.rootUrl };
  } catch (error) {
    await container.stop();
    throw error;
  }
}
