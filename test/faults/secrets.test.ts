import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closedLoopbackPort } from '../cli/loopback-server.ts';
import { runCliCaptured } from '../cli/run-cli.ts';
import type { CliRun } from '../cli/run-cli.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { AVAILABLE_ENGINES } from '../support/engines.ts';

/**
 * A password nobody else prints, new for every run: the redaction remembers the passwords it
 * saw, so one marker per case makes each case prove its own masking.
 */
function marker(): string {
  return `Mk${randomBytes(6).toString('hex')}Zq`;
}

/** Every way of getting a URL wrong around password `pw`, on a port where nothing listens. */
function malformedUrls(pw: string, port: number): readonly (readonly [string, string])[] {
  return [
    ['one slash after the scheme', `postgres:/deployer:${pw}@127.0.0.1:${port}/app`],
    ['no colon after the scheme', `postgres//deployer:${pw}@127.0.0.1:${port}/app`],
    ['no scheme at all', `deployer:${pw}@127.0.0.1:${port}/app`],
    ['an unencoded p@ss:w/rd% password', `postgres://deployer:p@ss${pw}:w/rd%@127.0.0.1:${port}/app`],
    ['a password holding @', `postgres://deployer:${pw}@x@127.0.0.1:${port}/app`],
    ['a password holding /', `postgres://deployer:${pw}/x@127.0.0.1:${port}/app`],
    ['a password holding ? and #', `mysql://deployer:${pw}?#x@127.0.0.1:${port}/app`],
    ['a port that is not a number', `mariadb://deployer:${pw}@127.0.0.1:port/app`],
    ['an unclosed IPv6 bracket', `postgres://deployer:${pw}@[127.0.0.1/app`],
    [
      'a password that is all escapes',
      `mysql://deployer:${encodeURIComponent(`${pw}@/:`)}@127.0.0.1:${port}/app`,
    ],
    ['an invalid escape in the database', `postgres://deployer:${pw}@127.0.0.1:${port}/%ff%fe`],
    ['an unsupported scheme', `https://deployer:${pw}@127.0.0.1:${port}/app`],
  ];
}

/** A raw `%` is taken literally, so this URL is valid: the run goes on and fails to connect. */
function rawPercentUrl(pw: string, port: number): string {
  return `postgres://deployer:${pw}%@127.0.0.1:${port}/app`;
}

/** Each command with what it needs besides the URL, the URL where `--target-url` goes. */
const COMMANDS: readonly (readonly [string, readonly string[]])[] = [
  ['check', ['check', '--migrations', 'migrations-example', '--throwaway', 'embedded']],
  ['apply', ['apply', '--migrations', 'migrations-example', '--backup', 'none']],
  ['rollback', ['rollback', '--migrations', 'migrations-example', '--backup', 'none', '--steps', '1']],
  ['status', ['status', '--migrations', 'migrations-example']],
  ['restore', ['restore', '--from', 'backups', '--backup', 'none']],
];

/** How the URL reaches the command. */
type Route = 'option' | 'environment' | 'file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migration-gate-secrets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: readonly string[], option: string, url: string, route: Route): Promise<CliRun> {
  if (route === 'option') return runCliCaptured([...argv, `--${option}`, url]);
  if (route === 'file') {
    const file = join(dir, `${randomBytes(4).toString('hex')}.url`);
    await writeFile(file, `${url}\n`);
    return runCliCaptured([...argv, `--${option}-file`, file]);
  }
  const variable = option === 'target-url' ? 'MIGRATION_GATE_TARGET_URL' : 'MIGRATION_GATE_SERVER_URL';
  return runCliCaptured([...argv], { env: { [variable]: url } });
}

/** Every place a run writes text: stdout (text or JSON) and stderr. */
function outputs(result: CliRun): string {
  return `${result.stdout}\n${result.stderr}`;
}

describe('a malformed URL never prints its password', () => {
  let closed: number;
  beforeAll(async () => {
    closed = await closedLoopbackPort();
  });

  for (const [commandName, argv] of COMMANDS) {
    for (const route of ['option', 'environment', 'file'] as const) {
      test(`${commandName}, --target-url by ${route}, text and --json: no occurrence, exit 2`, async () => {
        for (const [, make] of malformedUrls('', 0).map(([why], index) => [why, index] as const)) {
          for (const json of [false, true]) {
            const pw = marker();
            const url = malformedUrls(pw, closed)[make]![1];
            const serverArgs =
              commandName === 'restore' ? [] : ['--server-url', 'postgres://u@127.0.0.1:1/x'];
            const result = await run(
              [...argv, ...(json ? ['--json'] : []), ...(commandName === 'check' ? [] : serverArgs)],
              'target-url',
              url,
              route,
            );
            expect(outputs(result), `${url} (${json ? 'json' : 'text'})`).not.toContain(pw);
            expect(result.code, `${url}\n${outputs(result)}`).toBe(2);
          }
        }
      });
    }
  }

  test('a raw % in the password: every command reads it the same way, and none prints it', async () => {
    for (const [, argv] of COMMANDS) {
      for (const json of [false, true]) {
        const pw = marker();
        const result = await run(
          [...argv, ...(json ? ['--json'] : [])],
          'target-url',
          rawPercentUrl(pw, closed),
          'option',
        );
        expect(outputs(result)).not.toContain(pw);
        expect(outputs(result)).not.toMatch(/not a database URL|requires a value/);
      }
    }
  });

  for (const [commandName, argv] of COMMANDS.filter(([name]) => name !== 'restore')) {
    test(`${commandName}, --server-url by option, environment and file: no occurrence, exit 2`, async () => {
      for (const route of ['option', 'environment', 'file'] as const) {
        for (const index of malformedUrls('', 0).keys()) {
          const pw = marker();
          const url = malformedUrls(pw, closed)[index]![1];
          const target =
            commandName === 'check' ? [] : ['--target-url', `postgres://u@127.0.0.1:${closed}/x`];
          const result = await run(
            [...argv, '--json', '--throwaway', 'server', ...target],
            'server-url',
            url,
            route,
          );
          expect(outputs(result), url).not.toContain(pw);
          expect(result.code, `${url}\n${outputs(result)}`).toBe(2);
        }
      }
    });
  }
});

describe.runIf(AVAILABLE_ENGINES.includes('postgres'))(
  'a password in a working URL appears in no output, report or backup file',
  () => {
    test('apply, status, rollback and restore on Postgres, text and --json, backups and manifests included', async () => {
      // The local server trusts everyone, so the password is sent and ignored: every command runs in full.
      const pw = `${marker()}%`;
      await using target = await createTargetDatabase('postgres');
      const url = new URL(target.url);
      url.password = encodeURIComponent(pw);
      // A raw % as people write it: taken literally, the same in every command.
      const raw = url.href.replace(encodeURIComponent(pw), pw);
      const backups = join(dir, 'backups');
      const common = ['--migrations', 'migrations-example', '--target-url', raw, '--throwaway', 'embedded'];
      const runs = [
        await runCliCaptured(['apply', ...common, '--backup-dir', backups]),
        await runCliCaptured(['status', ...common, '--json']),
        await runCliCaptured(['rollback', ...common, '--steps', '1', '--backup-dir', backups, '--json']),
        await runCliCaptured(['status', ...common]),
      ];
      const files = await readdir(backups, { recursive: true });
      const restored = await runCliCaptured([
        'restore',
        '--target-url',
        raw,
        '--from',
        join(
          backups,
          files.find((file) => file.endsWith('.manifest.json'))!,
        ),
        '--backup-dir',
        join(dir, 'more-backups'),
        '--format',
        'markdown',
      ]);
      for (const [index, result] of [...runs, restored].entries()) {
        expect(result.code, `run ${index}: ${outputs(result)}`).toBe(0);
        expect(outputs(result)).not.toContain(pw.slice(0, -1));
      }
      for (const file of [
        ...files.map((name) => join(backups, name)),
        ...(await readdir(join(dir, 'more-backups'))).map((name) => join(dir, 'more-backups', name)),
      ]) {
        const text = await readFile(file, 'latin1').catch(() => '');
        expect(text, file).not.toContain(pw.slice(0, -1));
      }
    });
  },
);
