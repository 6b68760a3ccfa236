import { describe, expect, test } from 'vitest';
import { dockerAnswers } from '../../src/core/throwaway/docker-ping.ts';
import { runCliCaptured } from './run-cli.ts';

// Where Docker answers, containers are tested for real elsewhere; here only its absence.
describe.skipIf(await dockerAnswers())('migration-gate check --throwaway container without Docker', () => {
  for (const [dialect, image] of [
    ['postgres', 'postgres:16-alpine'],
    ['mysql', 'mysql:8.4'],
  ] as const) {
    // Bounded by the test's timeout, far below the two minutes a container may take to start.
    test(`${dialect}: exit 2 with a clear message, without waiting`, { timeout: 20_000 }, async () => {
      const run = await runCliCaptured([
        'check',
        '--migrations',
        'migrations-example',
        '--dialect',
        dialect,
        '--throwaway',
        'container',
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`starting container ${image}...`);
      expect(run.stderr).toMatch(
        new RegExp(`^error: could not start container ${image}: no Docker engine answers`, 'm'),
      );
    });
  }
});
