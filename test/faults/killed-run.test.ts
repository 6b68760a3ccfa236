import { expect, test } from 'vitest';
import { spawnCli } from '../cli/spawn-cli.ts';
import { ScratchInspector } from '../cli/scratch-databases.ts';
import type { DialectName } from '../../src/core/model/dialect.ts';
import {
  AVAILABLE_ENGINES,
  describeEachEngine,
  dialectOf,
  isServer,
  serverUrlOf,
} from '../support/engines.ts';
import { ScratchServer } from '../throwaway/scratch-leftovers.ts';

/** Fixtures whose only migration sleeps 30 s in its up, so the kill lands mid-proof. */
const SLOW: Record<DialectName, { folder: string; sleep: string }> = {
  postgres: { folder: 'test/fixtures/cli/slow', sleep: 'pg_sleep(' },
  mysql: { folder: 'test/fixtures/cli/slow-mysql', sleep: 'sleep(' },
};

const SERVER_ENGINES = AVAILABLE_ENGINES.filter(isServer);

describeEachEngine(
  'a check killed with SIGKILL',
  (engine) => {
    const serverArgs = ['--throwaway', 'server', '--server-url', serverUrlOf(engine)!];

    test('leaves its scratch database, which a later run sweeps once the owner is gone, saying so', async () => {
      await using inspector = await ScratchInspector.open(engine);
      await using server = await ScratchServer.open(engine);
      await using killed = spawnCli(['check', '--migrations', SLOW[dialectOf(engine)].folder, ...serverArgs]);
      const [, name] = await killed.waitForStderr(/throwaway database: scratch database (\w+) /);
      try {
        await inspector.waitUntilRunning(
          name!,
          SLOW[dialectOf(engine)].sleep,
          () => killed.child.exitCode === null,
        );
        killed.child.kill('SIGKILL');
        expect((await killed.exited).signal).toBe('SIGKILL');
        // No handler ran: the database is still there.
        expect(await server.exists(name!)).toBe(true);
        // Later: the server ended the killed client's session, and the bound (10 min) has passed.
        await server.endSessions(name!);
        await server.forgeOwner(name!, { pid: killed.child.pid!, agoMs: 11 * 60_000 });

        const next = await spawnCli(['check', '--migrations', 'migrations-example', ...serverArgs]).exited;
        expect(next.code).toBe(0);
        expect(await server.exists(name!)).toBe(false);
        // Said by the run that swept it: this one, unless a run of another test file on the same
        // shared server started in between and swept it first (test/throwaway/scratch-sweep.test.ts
        // proves the words without that window).
        if (next.stderr.includes(`swept stale scratch database ${name!}`)) {
          expect(next.stderr).toMatch(
            new RegExp(
              `swept stale scratch database ${name!} on \\S+ \\(process ${killed.child.pid!} on \\S+ is gone`,
            ),
          );
        }
      } finally {
        await server.drop(name!);
      }
    });
  },
  SERVER_ENGINES,
);
