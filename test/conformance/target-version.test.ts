import { describe, expect, test } from 'vitest';
import { createBackupTarget } from '../backup/backup-target.ts';
import { spawnCli } from '../cli/spawn-cli.ts';
import { CONTAINER_IMAGES, OFFICIAL_IMAGES, imageMirrorEnv } from '../support/docker.ts';
import type { ContainerEngine } from '../support/engine-list.ts';
import { ENGINE_TITLES } from '../support/engine-list.ts';
import { CONFORMANCE_ENGINES, dialectOf, POSTGRES_URL } from '../support/engines.ts';

// Starting a container takes seconds; the startup timeout in the provider is two minutes.
const TIMEOUT = { timeout: 240_000 };

for (const engine of CONFORMANCE_ENGINES) {
  if (!(engine in OFFICIAL_IMAGES)) continue;
  const official = OFFICIAL_IMAGES[engine as ContainerEngine];
  const [product, release] = ENGINE_TITLES[engine].split(' ') as [string, string];
  describe(`check with a target on ${ENGINE_TITLES[engine]} [${engine}]`, () => {
    test(
      `without --image, proves on ${official}, the official image of the target's release, and says so`,
      TIMEOUT,
      async () => {
        await using target = await createBackupTarget(engine);
        // Official images cannot be pulled here: the mirror serves the engine's own image in
        // the official one's place, so only the right official name finds an image at all.
        await using cli = spawnCli(
          [
            'check',
            '--migrations',
            'migrations-example',
            '--dialect',
            dialectOf(engine),
            '--throwaway',
            'container',
            '--target-url',
            target.url,
          ],
          { env: imageMirrorEnv(engine) },
        );
        const run = await cli.exited;
        expect(run.stderr).toContain(`starting container ${CONTAINER_IMAGES[engine as ContainerEngine]}...`);
        expect(run.stdout).toMatch(
          new RegExp(
            `^(PASSED|FAILED): .*; proven on ${product} ${release.replace('.', '\\.')}\\.\\d+ \\(container ${official}\\)$`,
            'm',
          ),
        );
      },
    );
  });
}

describe.runIf(CONFORMANCE_ENGINES.includes('postgres17') && CONFORMANCE_ENGINES.includes('postgres'))(
  'check proven on another release than the target runs',
  () => {
    test('a server throwaway on PostgreSQL 15 for a PostgreSQL 17 target: the verdict says both versions', async () => {
      await using target = await createBackupTarget('postgres17');
      const args = [
        'check',
        '--migrations',
        'migrations-example',
        '--throwaway',
        'server',
        '--server-url',
        POSTGRES_URL,
        '--target-url',
        target.url,
      ];
      const words = /proven on PostgreSQL 15\.\d+, target runs PostgreSQL 17\.\d+/;
      await using text = spawnCli(args);
      expect((await text.exited).stdout).toMatch(new RegExp(`^(PASSED|FAILED): .*; ${words.source}$`, 'm'));
      await using markdown = spawnCli([...args, '--format', 'markdown']);
      // The markdown report opens with the verdict line, which names both.
      expect((await markdown.exited).stdout).toMatch(new RegExp(`^\\S*(✅|⚠️|❌) .*; ${words.source}`, 'mu'));
    });
  },
);
