import { UsageError } from '../../model/errors.ts';
import { createContainerThrowaway } from './container-throwaway.ts';
import { dockerAnswers } from './docker-ping.ts';
import { createServerThrowaway } from './server-throwaway.ts';
import type { ThrowawayDatabase, ThrowawayKind, ThrowawayOptions } from './throwaway.ts';

/** Injectable probes, so the `auto` choice can be tested without changing the machine. */
export interface ThrowawayEnvironment {
  dockerAnswers(): Promise<boolean>;
}

/**
 * Opens a throwaway database of the given kind. `auto`: a container when a Docker engine
 * answers, else a scratch database when a server URL is given, else embedded Postgres, else
 * a clear error listing the options.
 */
export async function openThrowaway(
  kind: ThrowawayKind,
  options: ThrowawayOptions,
  environment: ThrowawayEnvironment = { dockerAnswers: () => dockerAnswers() },
): Promise<ThrowawayDatabase> {
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

/** The concrete kind `auto` stands for in this environment. */
export async function resolveThrowawayKind(
  kind: ThrowawayKind,
  options: Pick<ThrowawayOptions, 'dialect' | 'serverUrl'>,
  environment: ThrowawayEnvironment,
): Promise<Exclude<ThrowawayKind, 'auto'>> {
  if (kind !== 'auto') return kind;
  if (await environment.dockerAnswers()) return 'container';
  if (options.serverUrl !== undefined) return 'server';
  if (options.dialect === 'postgres') return 'embedded';
  throw new UsageError(
    'no throwaway database for mysql: no Docker engine answers and no --server-url was given. ' +
      'Start Docker (--throwaway container), or pass --throwaway server --server-url mysql://user@host:3306',
  );
}
