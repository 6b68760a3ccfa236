import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dockerAnswers } from '../../src/core/parts/throwaway/docker-ping.ts';
import { closedLoopbackPort, startSilentServer } from '../cli/loopback-server.ts';

// The default probe takes 2 s; each test's own timeout bounds it well below the proof's budget.
describe('dockerAnswers() never hangs and never throws', () => {
  let saved: string | undefined;

  beforeEach(() => {
    saved = process.env['DOCKER_HOST'];
  });

  afterEach(() => {
    if (saved === undefined) delete process.env['DOCKER_HOST'];
    else process.env['DOCKER_HOST'] = saved;
  });

  test(
    'false when DOCKER_HOST is a loopback port that accepts but never answers',
    { timeout: 6_000 },
    async () => {
      await using silent = await startSilentServer();
      process.env['DOCKER_HOST'] = `tcp://127.0.0.1:${silent.port}`;
      expect(await dockerAnswers()).toBe(false);
      expect(await dockerAnswers(200)).toBe(false);
    },
  );

  test('false when DOCKER_HOST is a closed loopback port', { timeout: 4_000 }, async () => {
    process.env['DOCKER_HOST'] = `tcp://127.0.0.1:${await closedLoopbackPort()}`;
    expect(await dockerAnswers()).toBe(false);
  });

  test('false when DOCKER_HOST is a unix socket that does not exist', { timeout: 4_000 }, async () => {
    process.env['DOCKER_HOST'] = 'unix:///nonexistent/migration-gate/docker.sock';
    expect(await dockerAnswers()).toBe(false);
  });
});
