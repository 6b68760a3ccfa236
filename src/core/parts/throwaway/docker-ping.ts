import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ContainerRuntimeClientStrategy } from 'testcontainers/build/container-runtime/strategies/strategy.js';
import type { ContainerRuntimeClientStrategyResult } from 'testcontainers/build/container-runtime/strategies/types.js';

/** A Docker engine that answered, at the endpoint testcontainers would use. */
export interface DockerEndpoint {
  /** Where it answered, e.g. `unix:///var/run/docker.sock` or `tcp://docker:2375`. */
  readonly uri: string;
  /** The environment that points the `docker` program at the same engine (DOCKER_HOST, TLS). */
  readonly cliEnvironment: Readonly<Record<string, string>>;
}

/** Whether a Docker engine answers within `timeoutMs` (see {@link answeringDockerEndpoint}). */
export async function dockerAnswers(timeoutMs = 2_000): Promise<boolean> {
  return (await answeringDockerEndpoint(timeoutMs)) !== undefined;
}

/**
 * The Docker endpoint testcontainers would use, when it answers `/_ping` within `timeoutMs`;
 * else undefined. Never throws.
 *
 * The candidates come from testcontainers' own discovery strategies, in its order: `tc.host`
 * of ~/.testcontainers.properties, DOCKER_HOST (or that file's `docker.host`, with TLS), then
 * /var/run/docker.sock, the rootless and Desktop sockets, the Windows pipe. Testcontainers
 * would fall through past a configured endpoint that is down; here a configured endpoint
 * decides alone, as it does for the `docker` program, so "DOCKER_HOST points nowhere" means no
 * Docker rather than a container started on another engine. Only the strategies are loaded
 * (tens of milliseconds), not testcontainers itself (about half a second).
 */
export async function answeringDockerEndpoint(timeoutMs = 2_000): Promise<DockerEndpoint | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (const { strategy, configured } of await discoveryStrategies()) {
    // undefined: the strategy does not apply here; null: it applies but fails (a TLS file missing).
    const found = await strategy.getResult().catch(() => null);
    if (found === undefined) continue;
    const answered = found !== null && (await ping(found, deadline - performance.now()));
    if (answered) return { uri: found.uri, cliEnvironment: cliEnvironment(found) };
    if (configured) return undefined;
  }
  return undefined;
}

/** A discovery strategy, and whether it reads the user's configuration (not a usual socket). */
interface Candidate {
  readonly strategy: ContainerRuntimeClientStrategy;
  readonly configured: boolean;
}

// The same list, in the same order, as testcontainers' getContainerRuntimeClient(); its index
// does not export the strategies, so they are imported from its build folder.
async function discoveryStrategies(): Promise<Candidate[]> {
  const [host, configuration, unixSocket, rootless, npipe] = await Promise.all([
    import('testcontainers/build/container-runtime/strategies/testcontainers-host-strategy.js'),
    import('testcontainers/build/container-runtime/strategies/configuration-strategy.js'),
    import('testcontainers/build/container-runtime/strategies/unix-socket-strategy.js'),
    import('testcontainers/build/container-runtime/strategies/rootless-unix-socket-strategy.js'),
    import('testcontainers/build/container-runtime/strategies/npipe-socket-strategy.js'),
  ]);
  return [
    { strategy: new host.TestcontainersHostStrategy(), configured: true },
    { strategy: new configuration.ConfigurationStrategy(), configured: true },
    { strategy: new unixSocket.UnixSocketStrategy(), configured: false },
    { strategy: new rootless.RootlessUnixSocketStrategy(), configured: false },
    { strategy: new npipe.NpipeSocketStrategy(), configured: false },
  ];
}

/** DOCKER_HOST for the endpoint, plus the TLS settings testcontainers hands to docker compose. */
function cliEnvironment(found: ContainerRuntimeClientStrategyResult): Record<string, string> {
  const environment: Record<string, string> = { DOCKER_HOST: found.uri };
  for (const [key, value] of Object.entries(found.composeEnvironment)) {
    if (value !== undefined) environment[key] = value;
  }
  return environment;
}

/**
 * Whether the engine answers `GET /_ping` with 200 within `timeoutMs`. Reached the way
 * testcontainers' client (docker-modem) reaches it: HTTPS when a key, a certificate and a CA
 * are configured, else HTTP, on a socket or a host and port.
 */
function ping(found: ContainerRuntimeClientStrategyResult, timeoutMs: number): Promise<boolean> {
  if (timeoutMs <= 0) return Promise.resolve(false);
  const { socketPath, host, port, key, cert, ca } = found.dockerOptions;
  const tls = key !== undefined && cert !== undefined && ca !== undefined;
  const request = tls ? httpsRequest : httpRequest;
  const where = host === undefined ? { socketPath } : { host, port };
  return new Promise((resolve) => {
    const req = request(
      { ...where, ...(tls ? { key, cert, ca } : {}), path: '/_ping', method: 'GET', timeout: timeoutMs },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
