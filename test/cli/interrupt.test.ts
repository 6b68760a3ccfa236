import { describe, expect, test } from 'vitest';
import type { DialectName } from '../../src/core/model/dialect.ts';
import { AVAILABLE_ENGINES, dialectOf, isServer, serverUrlOf } from '../support/engines.ts';
import { ScratchInspector } from './scratch-databases.ts';
import { spawnCli } from './spawn-cli.ts';

/** Fixtures whose only migration sleeps 30 s in its up, so a signal lands mid-proof. */
const SLOW: Record<DialectName, { folder: string; sleep: string }> = {
  postgres: { folder: 'test/fixtures/cli/slow', sleep: 'pg_sleep(' },
  mysql: { folder: 'test/fixtures/cli/slow-mysql', sleep: 'sleep(' },
};

const SIGNALS = [
  { signal: 'SIGTERM', code: 143 },
  { signal: 'SIGINT', code: 130 },
] as const;

const SERVER_ENGINES = AVAILABLE_ENGINES.filter(isServer);

describe.each(SERVER_ENGINES)('migration-gate check interrupted mid-proof [%s]', (engine) => {
  for (const { signal, code } of SIGNALS) {
    test(`${signal} exits ${code} and drops the scratch database while a migration still runs`, async () => {
      await using server = await ScratchInspector.open(engine);
      await using cli = spawnCli([
        'check',
        '--migrations',
        SLOW[dialectOf(engine)].folder,
        '--throwaway',
        'server',
        '--server-url',
        serverUrlOf(engine)!,
      ]);
      const [, name] = await cli.waitForStderr(/throwaway database: scratch database (\w+) /);
      try {
        // Mid-proof for certain: the up's sleep is running in the scratch database.
        await server.waitUntilRunning(
          name!,
          SLOW[dialectOf(engine)].sleep,
          () => cli.child.exitCode === null,
        );
        cli.child.kill(signal);
        const exit = await cli.exited;
        expect(exit.stderr).toContain(`received ${signal}: dropping throwaway databases`);
        expect(exit.code).toBe(code);
        expect(await server.existing()).not.toContain(name);
      } finally {
        await server.drop(name!);
      }
    });
  }
});
