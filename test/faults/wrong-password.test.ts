import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { startDatabaseContainer } from '../../src/core/parts/throwaway/database-container.ts';
import type { DatabaseContainer } from '../../src/core/parts/throwaway/database-container.ts';
import { runCliCaptured } from '../cli/run-cli.ts';
import { CONTAINER_IMAGES, describeWithDocker } from '../support/docker.ts';

// The local servers trust everyone; these containers check passwords (Postgres: scram-sha-256).
const SERVERS = [
  { engine: 'postgres', dialect: 'postgres', image: CONTAINER_IMAGES.postgres },
  { engine: 'mariadb', dialect: 'mysql', image: CONTAINER_IMAGES.mariadb },
] as const;

for (const { engine, dialect, image } of SERVERS) {
  describeWithDocker(`a wrong password on a password-checking server [${engine}: ${image}]`, () => {
    let container: DatabaseContainer;
    beforeAll(async () => {
      container = await startDatabaseContainer(dialect, image, 'start Docker');
    }, 180_000);
    afterAll(async () => {
      await container?.stop();
    });

    /** The throwaway: scratch databases on the container itself, with the right password. */
    function throwawayOnIt(): string[] {
      return ['--throwaway', 'server', '--server-url', container.rootUrl];
    }

    /** The container's URL with `password` instead of the right one. */
    function withPassword(password: string): { url: string; display: string; user: string } {
      const url = new URL(container.rootUrl);
      url.password = password;
      const target = parseConnectionUrl(url.href);
      return { url: url.href, display: target.display, user: decodeURIComponent(url.username) };
    }

    test('the right password logs in (so the refusals below are about the password)', async () => {
      const run = await runCliCaptured([
        'status',
        '--migrations',
        'migrations-example',
        '--target-url',
        container.rootUrl,
        ...throwawayOnIt(),
      ]);
      expect(run.stdout).toContain('pending');
      expect(run.code).toBe(0);
    });

    for (const [command, extra] of [
      ['status', []],
      ['apply', ['--backup', 'none']],
      ['rollback', ['--backup', 'none', '--steps', '1']],
    ] as const) {
      test(`${command} --target-url: exit 2, "cannot log in ... wrong password", the password absent`, async () => {
        const wrong = `Wr0ng${randomBytes(6).toString('hex')}`;
        const { url, display, user } = withPassword(wrong);
        for (const json of [[], ['--json']]) {
          const run = await runCliCaptured([
            command,
            '--migrations',
            'migrations-example',
            '--target-url',
            url,
            ...throwawayOnIt(),
            ...extra,
            ...json,
          ]);
          expect(run.stderr).toContain(`cannot log in to ${display} as ${user}: wrong password or user`);
          expect(run.stdout + run.stderr).not.toContain(wrong);
          expect(run.code).toBe(2);
        }
      });
    }

    test('check --server-url: exit 2, "cannot log in ... wrong password", the password absent', async () => {
      const wrong = `Wr0ng${randomBytes(6).toString('hex')}`;
      const { url, display, user } = withPassword(wrong);
      const run = await runCliCaptured([
        'check',
        '--migrations',
        'migrations-example',
        '--dialect',
        dialect,
        '--throwaway',
        'server',
        '--server-url',
        url,
      ]);
      expect(run.stderr).toContain(`cannot log in to ${display} as ${user}: wrong password or user`);
      expect(run.stdout + run.stderr).not.toContain(wrong);
      expect(run.code).toBe(2);
    });
  });
}
