import { setTimeout as delay } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { spawnCli } from '../cli/spawn-cli.ts';
import {
  CONTAINER_IMAGES,
  containerExists,
  containerIdIn,
  describeWithDocker,
  publishedPorts,
} from '../support/docker.ts';

// Starting a container takes seconds; the startup timeout in the provider is two minutes.
const TIMEOUT = { timeout: 180_000 };

const ENGINES = [
  { engine: 'postgres', dialect: 'postgres', slow: 'test/fixtures/cli/slow' },
  { engine: 'mariadb', dialect: 'mysql', slow: 'test/fixtures/cli/slow-mysql' },
] as const;

for (const { engine, dialect, slow } of ENGINES) {
  const image = CONTAINER_IMAGES[engine];
  const containerArgs = ['--dialect', dialect, '--throwaway', 'container', '--image', image];

  describeWithDocker(`migration-gate check --throwaway container [${engine}: ${image}]`, () => {
    test('proves migrations-example reversible and removes its container', TIMEOUT, async () => {
      await using cli = spawnCli(['check', '--migrations', 'migrations-example', ...containerArgs]);
      const run = await cli.exited;
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        new RegExp(`throwaway database: scratch database \\w+ on container ${image}`),
      );
      expect(run.stdout).toMatch(/^PASSED: 5 migration\(s\) proven/m);
      expect(await containerExists(containerIdIn(run.stderr))).toBe(false);
    });

    test('catches a broken down and still removes its container', TIMEOUT, async () => {
      await using cli = spawnCli(['check', '--migrations', 'test/fixtures/cli/failing', ...containerArgs]);
      const run = await cli.exited;
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^FAIL 002_index_accounts_email {2}not reversible/m);
      expect(await containerExists(containerIdIn(run.stderr))).toBe(false);
    });

    test('SIGTERM mid-proof exits 143 and removes the container', TIMEOUT, async () => {
      await using cli = spawnCli(['check', '--migrations', slow, ...containerArgs]);
      const [line] = await cli.waitForStderr(/^container [0-9a-f]{12} is up$/m);
      await cli.waitForStderr(/^throwaway database: /m);
      // The only migration sleeps 30 s in its up; a moment later the proof is inside it.
      await delay(1_000);
      cli.child.kill('SIGTERM');
      const exit = await cli.exited;
      expect(exit.code).toBe(143);
      expect(await containerExists(containerIdIn(line!))).toBe(false);
    });

    test('publishes the database port on 127.0.0.1 only', TIMEOUT, async () => {
      await using cli = spawnCli(['check', '--migrations', slow, ...containerArgs]);
      const [line] = await cli.waitForStderr(/^container [0-9a-f]{12} is up$/m);
      const ports = await publishedPorts(containerIdIn(line!));
      expect(ports.length).toBeGreaterThan(0);
      for (const port of ports) expect(port).toMatch(/ -> 127\.0\.0\.1:\d+$/);
    });
  });
}

describeWithDocker('migration-gate check --throwaway container: images and Ryuk', () => {
  test('--throwaway auto picks a container when Docker answers', TIMEOUT, async () => {
    await using cli = spawnCli([
      'check',
      '--migrations',
      'migrations-example',
      '--throwaway',
      'auto',
      '--image',
      CONTAINER_IMAGES.postgres,
    ]);
    const run = await cli.exited;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`on container ${CONTAINER_IMAGES.postgres}`);
  });

  test(
    'an image that does not exist fails with exit 2 and a clear error, in bounded time',
    TIMEOUT,
    async () => {
      const image = 'migration-gate-test/no-such-image:0';
      await using cli = spawnCli([
        'check',
        '--migrations',
        'migrations-example',
        '--throwaway',
        'container',
        '--image',
        image,
      ]);
      const exit = await Promise.race([cli.exited, delay(60_000).then(() => undefined)]);
      expect(exit, 'the CLI was still waiting after 60 s').toBeDefined();
      expect(exit!.code).toBe(2);
      expect(exit!.stderr).toMatch(new RegExp(`^error: could not start container ${image}: `, 'm'));
    },
  );

  test('after SIGKILL, which leaves no chance to clean up, Ryuk removes the container', TIMEOUT, async () => {
    // A Ryuk of this process alone (the test label keeps others from sharing it), quick to reap.
    await using cli = spawnCli(
      [
        'check',
        '--migrations',
        'test/fixtures/cli/slow',
        '--throwaway',
        'container',
        '--image',
        CONTAINER_IMAGES.postgres,
      ],
      { env: { TESTCONTAINERS_RYUK_TEST_LABEL: 'true', TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT: '2s' } },
    );
    const [line] = await cli.waitForStderr(/^container [0-9a-f]{12} is up$/m);
    cli.child.kill('SIGKILL');
    await cli.exited;
    const id = containerIdIn(line!);
    for (let waited = 0; waited < 60 && (await containerExists(id)); waited += 1) await delay(1_000);
    expect(await containerExists(id), 'Ryuk did not remove the container within 60 s').toBe(false);
  });
});
