import { expect, test } from 'vitest';
import { AVAILABLE_ENGINES, describeEachEngine, isServer, serverUrlOf } from '../support/engines.ts';
import { ScratchInspector, scratchNamesIn } from './scratch-databases.ts';
import { runCliCaptured } from './run-cli.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter(isServer);

// Other test files create scratch databases at the same time, so only the names this run
// printed are compared (--verbose names every one it creates, resets included).
describeEachEngine(
  'migration-gate check leaves no scratch database behind',
  (engine) => {
    async function checkOnServer(migrations: string) {
      await using server = await ScratchInspector.open(engine);
      const before = await server.existing();
      const run = await runCliCaptured([
        'check',
        '--migrations',
        migrations,
        '--throwaway',
        'server',
        '--server-url',
        serverUrlOf(engine)!,
        '--verbose',
      ]);
      const printed = scratchNamesIn(run.stderr);
      const after = await server.existing();
      return { run, printed, before, left: after.filter((name) => printed.has(name)) };
    }

    test('after a passing run (exit 0)', async () => {
      const { run, printed, before, left } = await checkOnServer('migrations-example');
      expect(run.code).toBe(0);
      expect(printed.size).toBeGreaterThan(0);
      expect(before.filter((name) => printed.has(name))).toEqual([]);
      expect(left).toEqual([]);
    });

    test('after a failing run (exit 1) that rebuilt its database after each failure', async () => {
      const { run, printed, left } = await checkOnServer('test/fixtures/cli/failing');
      expect(run.code).toBe(1);
      expect(printed.size).toBeGreaterThan(1);
      expect(left).toEqual([]);
    });
  },
  SERVER_ENGINES,
);
