import { describe, expect, test } from 'vitest';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../src/core/parts/database/connect.ts';
import { closedLoopbackPort, startSilentServer } from './loopback-server.ts';
import { runCliCaptured } from './run-cli.ts';
import { spawnCli } from './spawn-cli.ts';

// Only loopback addresses: a server that never answers is simulated on 127.0.0.1.
const SCHEMES = ['postgres', 'mysql'] as const;

describe('migration-gate check: a server that does not answer', () => {
  test('the default connect timeout is under ten seconds', () => {
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBeLessThan(10_000);
  });

  for (const scheme of SCHEMES) {
    test(`a ${scheme}:// server that accepts but never answers: exit 2, "did not answer within N s"`, async () => {
      await using silent = await startSilentServer();
      const url = `${scheme}://u@127.0.0.1:${silent.port}/db`;
      await using cli = spawnCli([
        'check',
        '--migrations',
        'migrations-example',
        '--throwaway',
        'server',
        '--server-url',
        url,
      ]);
      const { code, stderr } = await cli.exited;
      expect(stderr).toContain(
        `error: ${scheme}://127.0.0.1:${silent.port}/db did not answer within ${DEFAULT_CONNECT_TIMEOUT_MS / 1000} s`,
      );
      expect(code).toBe(2);
    });

    // The test's own timeout is shorter than the connect timeout: a refusal is not waited out.
    test(
      `a closed ${scheme}:// port: exit 2, "connection refused", without waiting for the timeout`,
      { timeout: DEFAULT_CONNECT_TIMEOUT_MS - 2_000 },
      async () => {
        const port = await closedLoopbackPort();
        const run = await runCliCaptured([
          'check',
          '--migrations',
          'migrations-example',
          '--throwaway',
          'server',
          '--server-url',
          `${scheme}://u@127.0.0.1:${port}/db`,
        ]);
        expect(run.stderr).toContain(
          `error: nothing is listening at ${scheme}://127.0.0.1:${port}/db: connection refused`,
        );
        expect(run.code).toBe(2);
      },
    );
  }
});
