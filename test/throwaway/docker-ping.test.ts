import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { DockerEndpoint } from '../../src/core/parts/throwaway/docker-ping.ts';
import { closedLoopbackPort, startSilentServer } from '../cli/loopback-server.ts';
import { runInNewProcess, sourceModule } from '../support/new-process.ts';

/** A fresh HOME (no ~/.testcontainers.properties unless a test writes one), without Docker settings. */
let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'migration-gate-docker-ping-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
  for (const key of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH'])
    if (!(key in extra)) delete env[key];
  return env;
}

/** What dockerAnswers() says in a new process, where testcontainers reads this environment afresh. */
async function answers(extra: Record<string, string>, timeoutMs?: number): Promise<boolean> {
  return (await timedAnswer(extra, timeoutMs)).answers;
}

/** dockerAnswers() and how long it took in that process, its start-up left out. */
function timedAnswer(
  extra: Record<string, string>,
  timeoutMs?: number,
): Promise<{ answers: boolean; ms: number }> {
  return runInNewProcess(
    `const { dockerAnswers } = await import(${sourceModule('src/core/parts/throwaway/docker-ping.ts')});
     const started = performance.now();
     const answers = await dockerAnswers(${timeoutMs ?? ''});
     console.log(JSON.stringify({ answers, ms: performance.now() - started }));`,
    environment(extra),
  );
}

/** The endpoint answeringDockerEndpoint() finds in a new process, or null. */
function endpointFound(extra: Record<string, string>): Promise<DockerEndpoint | null> {
  return runInNewProcess(
    `const { answeringDockerEndpoint } = await import(${sourceModule('src/core/parts/throwaway/docker-ping.ts')});
     console.log(JSON.stringify((await answeringDockerEndpoint()) ?? null));`,
    environment(extra),
  );
}

/** A stand-in engine: answers `GET /_ping` with 200, as Docker does, and nothing else. */
async function startStandInEngine(where: { socketPath: string } | 'tcp'): Promise<Server & AsyncDisposable> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK');
  });
  await new Promise<void>((resolve) => {
    if (where === 'tcp') server.listen(0, '127.0.0.1', resolve);
    else server.listen(where.socketPath, resolve);
  });
  return Object.assign(server, {
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

// The default probe takes 2 s; each test's own timeout bounds it well below the proof's budget.
describe('dockerAnswers() never hangs and never throws', () => {
  test(
    'false when DOCKER_HOST is a loopback port that accepts but never answers',
    { timeout: 6_000 },
    async () => {
      await using silent = await startSilentServer();
      const docker = { DOCKER_HOST: `tcp://127.0.0.1:${silent.port}` };
      expect(await answers(docker)).toBe(false);
      expect(await answers(docker, 200)).toBe(false);
    },
  );

  test('false when DOCKER_HOST is a closed loopback port, at once', { timeout: 4_000 }, async () => {
    const result = await timedAnswer({ DOCKER_HOST: `tcp://127.0.0.1:${await closedLoopbackPort()}` });
    expect(result.answers).toBe(false);
    // Refused at once, so well within the 2 s budget; the rest is loading the strategies.
    expect(result.ms).toBeLessThan(1_000);
  });

  test('false when DOCKER_HOST is a unix socket that does not exist', { timeout: 4_000 }, async () => {
    expect(await answers({ DOCKER_HOST: 'unix:///nonexistent/migration-gate/docker.sock' })).toBe(false);
  });
});

describe('dockerAnswers() looks where testcontainers looks', () => {
  test('DOCKER_HOST names the engine, and the docker program is pointed at it', async () => {
    await using _engine = await startStandInEngine({ socketPath: join(home, 'docker.sock') });
    const uri = `unix://${join(home, 'docker.sock')}`;
    expect(await endpointFound({ DOCKER_HOST: uri })).toEqual({ uri, cliEnvironment: { DOCKER_HOST: uri } });
    expect(await answers({ DOCKER_HOST: uri })).toBe(true);
  });

  test('docker.host of ~/.testcontainers.properties counts when DOCKER_HOST is unset', async () => {
    await using _engine = await startStandInEngine({ socketPath: join(home, 'docker.sock') });
    const uri = `unix://${join(home, 'docker.sock')}`;
    await writeFile(join(home, '.testcontainers.properties'), `docker.host=${uri}\n`);
    expect((await endpointFound({}))?.uri).toBe(uri);
  });

  test('tc.host of ~/.testcontainers.properties comes before DOCKER_HOST', async () => {
    await using engine = await startStandInEngine('tcp');
    const uri = `tcp://127.0.0.1:${portOf(engine)}`;
    await writeFile(join(home, '.testcontainers.properties'), `tc.host=${uri}\n`);
    const found = await endpointFound({ DOCKER_HOST: 'unix:///nonexistent/migration-gate/docker.sock' });
    expect(found).toEqual({ uri, cliEnvironment: { DOCKER_HOST: uri } });
  });

  test('a configured engine that does not answer decides: no Docker, even where another answers', async () => {
    await using engine = await startStandInEngine('tcp');
    const down = `tcp://127.0.0.1:${await closedLoopbackPort()}`;
    await writeFile(join(home, '.testcontainers.properties'), `tc.host=${down}\n`);
    expect(await answers({ DOCKER_HOST: `tcp://127.0.0.1:${portOf(engine)}` })).toBe(false);
  });
});
