import { UsageError } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import { containerImage, createContainerThrowaway } from './container-throwaway.ts';
import { dockerAnswers } from './docker-ping.ts';
import { imageUnavailable } from './image-availability.ts';
import { machineMirrorImage } from './image-mirror.ts';
import { createServerThrowaway } from './server-throwaway.ts';
import type { ThrowawayDatabase, ThrowawayKind, ThrowawayOptions } from './throwaway.ts';

/** Injectable probes, so the `auto` choice can be tested without changing the machine. */
export interface ThrowawayEnvironment {
  dockerAnswers(): Promise<boolean>;
  /** Why Docker cannot run the image (neither present nor pullable); undefined when it can. */
  imageUnavailable(image: string, logger: Logger): Promise<string | undefined>;
  /** The image run in place of an official one (see image-mirror.ts); itself when absent. */
  mirrorImage?(image: string): string;
}

/** This machine. */
const MACHINE: ThrowawayEnvironment = {
  dockerAnswers: () => dockerAnswers(),
  imageUnavailable: (image, logger) => imageUnavailable(image, logger),
  mirrorImage: machineMirrorImage,
};

/**
 * Opens a throwaway database of the given kind (`auto`: see resolveThrowawayKind); a container
 * runs the environment's mirror of the image chosen.
 */
export async function openThrowaway(
  kind: ThrowawayKind,
  chosen: ThrowawayOptions,
  environment: ThrowawayEnvironment = MACHINE,
): Promise<ThrowawayDatabase> {
  const image = containerImage(chosen);
  const options = { ...chosen, image: environment.mirrorImage?.(image) ?? image };
  switch (await resolveThrowawayKind(kind, options, environment)) {
    // Imported on demand: PGlite costs about half a second to load. (The container module
    // loads testcontainers, as costly, only when it starts a container.)
    case 'embedded':
      return (await import('./embedded-throwaway.ts')).createEmbeddedThrowaway(options);
    case 'container':
      return createContainerThrowaway(options);
    case 'server':
      if (options.serverUrl === undefined) {
        throw new UsageError(
          '--throwaway server needs --server-url (e.g. postgres://user@host:5432/postgres)',
        );
      }
      return createServerThrowaway({ ...options, serverUrl: options.serverUrl });
  }
}

/**
 * The concrete kind `auto` stands for in this environment: a container when a Docker engine
 * answers and has the image or can pull it, else a scratch database when a server URL is given,
 * else embedded Postgres, else a clear error listing the options. Falling back although Docker
 * answers (an offline laptop, a registry behind a login) is said in one warning.
 */
export async function resolveThrowawayKind(
  kind: ThrowawayKind,
  options: Pick<ThrowawayOptions, 'dialect' | 'serverUrl' | 'image' | 'logger'>,
  environment: ThrowawayEnvironment,
): Promise<Exclude<ThrowawayKind, 'auto'>> {
  if (kind !== 'auto') return kind;
  if (!(await environment.dockerAnswers())) return withoutContainer(options, 'no Docker engine answers');
  const image = containerImage(options);
  const unavailable = await environment.imageUnavailable(image, options.logger);
  if (unavailable === undefined) return 'container';
  const why = `Docker answers, but image ${image} is neither present nor pullable`;
  const fallback = withoutContainer(options, why);
  options.logger.warn(
    `${why} (${unavailable}): the proof runs on ${fallback === 'server' ? 'a scratch database on --server-url' : 'embedded PGlite'} instead; ` +
      'choose with --throwaway container|server|embedded, or --image an image Docker has',
  );
  return fallback;
}

/** What `auto` stands for without a container, `why` there is none. */
function withoutContainer(
  options: Pick<ThrowawayOptions, 'dialect' | 'serverUrl'>,
  why: string,
): Exclude<ThrowawayKind, 'auto' | 'container'> {
  if (options.serverUrl !== undefined) return 'server';
  if (options.dialect === 'postgres') return 'embedded';
  throw new UsageError(
    `no throwaway database for mysql: ${why} and no --server-url was given. ` +
      'Start Docker (--throwaway container), or pass --throwaway server --server-url mysql://user@host:3306',
  );
}
