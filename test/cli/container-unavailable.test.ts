import { describe, expect, test } from 'vitest';
import { spawnCli } from './spawn-cli.ts';

/** A Docker endpoint nothing listens on, so the test means the same with or without Docker. */
const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/migration-gate-test/docker.sock' };

describe('migration-gate check --throwaway container without a Docker engine', () => {
  for (const [dialect, image] of [
    ['postgres', 'postgres:16-alpine'],
    ['mysql', 'mysql:8.4'],
  ] as const) {
    // Bounded by the test's timeout, far below the two minutes a container may take to start.
    test(`${dialect}: exit 2 with a clear message, without waiting`, { timeout: 20_000 }, async () => {
      await using cli = spawnCli(
        ['check', '--migrations', 'migrations-example', '--dialect', dialect, '--throwaway', 'container'],
        { env: NO_DOCKER },
      );
      const run = await cli.exited;
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`starting container ${image}...`);
      expect(run.stderr).toMatch(
        new RegExp(`^error: could not start container ${image}: no Docker engine answers`, 'm'),
      );
    });
  }
});
