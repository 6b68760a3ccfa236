import { describe, expect, test } from 'vitest';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../src/core/parts/database/connect.ts';
import { closedLoopbackPort, startSilentServer } from '../cli/loopback-server.ts';
import { spawnCli } from '../cli/spawn-cli.ts';

// check --server-url on both kinds of port is in test/cli/unreachable-server.test.ts; here every
// command that works on a target meets them, spawned as a user runs it. The throwaway's server
// is the same port, so no engine loads and only the connection is under test.
const COMMANDS: readonly (readonly [string, readonly string[]])[] = [
  ['status', ['status']],
  ['apply', ['apply', '--backup', 'none']],
  ['rollback', ['rollback', '--backup', 'none', '--steps', '1']],
];
const SCHEMES = ['postgres', 'mysql'] as const;

function argsFor(argv: readonly string[], scheme: string, port: number): string[] {
  return [
    ...argv,
    '--migrations',
    'migrations-example',
    '--target-url',
    `${scheme}://u:Pw9secret@127.0.0.1:${port}/app`,
    '--throwaway',
    'server',
    '--server-url',
    `${scheme}://u:Pw9secret@127.0.0.1:${port}`,
  ];
}

describe.concurrent('a target that cannot be reached: a clear error, in bounded time', () => {
  for (const [command, argv] of COMMANDS) {
    for (const scheme of SCHEMES) {
      test(`${command} on a closed ${scheme}:// port: exit 2, "connection refused"`, async () => {
        const port = await closedLoopbackPort();
        await using cli = spawnCli(argsFor(argv, scheme, port));
        const { code, stdout, stderr } = await cli.exited;
        expect(stderr).toContain(`error: nothing is listening at ${scheme}://127.0.0.1:${port}`);
        expect(stdout + stderr).not.toContain('Pw9secret');
        expect(code).toBe(2);
      });

      test(`${command} on a ${scheme}:// port that never answers: exit 2 after the connect timeout`, async () => {
        await using silent = await startSilentServer();
        await using cli = spawnCli(argsFor(argv, scheme, silent.port));
        const { code, stdout, stderr } = await cli.exited;
        // status opens its throwaway first, the others the target: either names the port.
        expect(stderr).toMatch(
          new RegExp(
            `error: ${scheme}://127\\.0\\.0\\.1:${silent.port}\\S* did not answer within ${DEFAULT_CONNECT_TIMEOUT_MS / 1000} s`,
          ),
        );
        expect(stdout + stderr).not.toContain('Pw9secret');
        expect(code).toBe(2);
      });
    }
  }
});
