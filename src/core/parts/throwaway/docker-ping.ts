import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Whether a Docker engine answers, within `timeoutMs`. Looks where testcontainers looks
 * first: DOCKER_HOST, then the usual sockets. Never throws.
 */
export async function dockerAnswers(timeoutMs = 2_000): Promise<boolean> {
  for (const endpoint of dockerEndpoints()) {
    if (await ping(endpoint, timeoutMs)) return true;
  }
  return false;
}

type Endpoint = { socketPath: string } | { host: string; port: number };

function dockerEndpoints(): Endpoint[] {
  const fromEnv = process.env['DOCKER_HOST'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.startsWith('unix://')) return [{ socketPath: fromEnv.slice('unix://'.length) }];
    if (fromEnv.startsWith('tcp://')) {
      const url = new URL(fromEnv.replace(/^tcp:/, 'http:'));
      return [{ host: url.hostname, port: Number(url.port || 2375) }];
    }
    return [];
  }
  return [
    '/var/run/docker.sock',
    join(homedir(), '.docker/run/docker.sock'),
    join(homedir(), '.docker/desktop/docker.sock'),
  ]
    .filter((socketPath) => existsSync(socketPath))
    .map((socketPath) => ({ socketPath }));
}

function ping(endpoint: Endpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
