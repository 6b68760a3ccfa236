import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CONTAINER_IMAGES, containerExists, describeWithDocker } from '../support/docker.ts';
import { runInNewProcess, sourceModule } from '../support/new-process.ts';

// Starting a container takes seconds; the startup timeout in the module is two minutes.
const TIMEOUT = { timeout: 180_000 };

describe('startDatabaseContainer() without a Docker engine', () => {
  test('fails at once with the image and the hint, without loading testcontainers', async () => {
    const home = await mkdtemp(join(tmpdir(), 'migration-gate-no-docker-'));
    try {
      const outcome = await runInNewProcess<{ message: string; ms: number; loaded: string[] }>(
        `import { createRequire } from 'node:module';
         const { startDatabaseContainer } = await import(${sourceModule('src/core/parts/throwaway/database-container.ts')});
         const started = performance.now();
         const message = await startDatabaseContainer('postgres', 'postgres:16-alpine', 'start Docker').then(
           () => 'started', (error) => error.name + ': ' + error.message);
         const ms = performance.now() - started;
         const loaded = Object.keys(createRequire(process.cwd() + '/').cache)
           .filter((path) => /testcontainers[\\\\/]build[\\\\/]index\\.js$/.test(path));
         console.log(JSON.stringify({ message, ms, loaded }));`,
        { ...process.env, HOME: home, DOCKER_HOST: 'unix:///nonexistent/migration-gate-test/docker.sock' },
      );
      expect(outcome.message).toBe(
        'UsageError: could not start container postgres:16-alpine: no Docker engine answers (start Docker)',
      );
      expect(outcome.ms).toBeLessThan(1_000);
      expect(outcome.loaded).toEqual([]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

/** What a new process saw of a container it started with a given TESTCONTAINERS_HOST_OVERRIDE. */
interface SeenContainer {
  readonly id: string;
  /** The host of the root URL the database was reached at. */
  readonly host: string;
  readonly answered: number;
  /** `docker port` while it ran. */
  readonly ports: string[];
  readonly labels: Record<string, string>;
}

function startWithHostOverride(hostOverride: string): Promise<SeenContainer> {
  return runInNewProcess<SeenContainer>(
    `import { execFileSync } from 'node:child_process';
     import { sql } from 'kysely';
     const { startDatabaseContainer } = await import(${sourceModule('src/core/parts/throwaway/database-container.ts')});
     const { openDatabase } = await import(${sourceModule('src/core/parts/database/connect.ts')});
     const { parseConnectionUrl } = await import(${sourceModule('src/core/parts/database/connection-url.ts')});
     const container = await startDatabaseContainer('postgres', ${JSON.stringify(CONTAINER_IMAGES.postgres)}, 'start Docker');
     try {
       const { db } = await openDatabase(parseConnectionUrl(container.rootUrl));
       const answered = (await sql\`select 1 as one\`.execute(db)).rows[0].one;
       await db.destroy();
       const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8' });
       console.log(JSON.stringify({
         id: container.id,
         host: new URL(container.rootUrl).hostname,
         answered,
         ports: docker('port', container.id).split('\\n').filter((line) => line !== ''),
         labels: JSON.parse(docker('inspect', '--format', '{{json .Config.Labels}}', container.id)),
       }));
     } finally {
       await container.stop();
     }`,
    { ...process.env, TESTCONTAINERS_HOST_OVERRIDE: hostOverride },
    170_000,
  );
}

describeWithDocker('startDatabaseContainer() honours TESTCONTAINERS_HOST_OVERRIDE', () => {
  test(
    'reached at the host it names; on loopback, published on 127.0.0.1 only; labelled; removed on stop',
    TIMEOUT,
    async () => {
      const seen = await startWithHostOverride('127.0.0.1');
      expect(seen).toMatchObject({ host: '127.0.0.1', answered: 1 });
      expect(seen.labels).toMatchObject({ 'migration-gate.throwaway': 'true' });
      expect(seen.ports.length).toBeGreaterThan(0);
      for (const port of seen.ports) expect(port).toMatch(/ -> 127\.0\.0\.1:\d+$/);
      expect(await containerExists(seen.id)).toBe(false);
    },
  );
});
