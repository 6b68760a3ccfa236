import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closedLoopbackPort } from '../cli/loopback-server.ts';
import { spawnCli } from '../cli/spawn-cli.ts';

/** One bad input: what is run, the exit code it must end with, and what its message must name. */
interface BadInput {
  readonly what: string;
  readonly argv: (paths: Paths) => readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** 2: usage or environment error. */
  readonly code?: number;
  /** Text the error message must hold: the option, input or path at fault. */
  readonly names: (paths: Paths) => string;
}

interface Paths {
  readonly empty: string;
  readonly loop: string;
  readonly dangling: string;
  readonly notUtf8: string;
  readonly aFile: string;
  readonly emptyFile: string;
  readonly closedPort: number;
}

const OK_TARGET = 'postgres://u@127.0.0.1:9/app';
const M = ['--migrations', 'migrations-example'];

/** A table of 40+ inputs a clumsy user gives, each expected to fail clearly. */
const BAD_INPUTS: readonly BadInput[] = [
  {
    what: 'an empty migrations folder',
    argv: (p) => ['check', '--migrations', p.empty],
    names: (p) => `no migrations in ${p.empty}`,
  },
  {
    what: 'a symlink loop in the migrations folder',
    argv: (p) => ['check', '--migrations', p.loop],
    names: (p) => `${join(p.loop, '001_loop.ts')} in the migrations folder is a symbolic link loop`,
  },
  {
    what: 'a dangling symlink in the migrations folder',
    argv: (p) => ['check', '--migrations', p.dangling],
    names: (p) => join(p.dangling, '001_gone.sql'),
  },
  {
    what: 'a non-UTF-8 file name in the migrations folder',
    argv: (p) => ['check', '--migrations', p.notUtf8],
    names: (p) => `${join(p.notUtf8, '001_caf\\xe9.sql')} in the migrations folder is not valid UTF-8`,
  },
  {
    what: 'a migrations folder that does not exist',
    argv: () => ['check', '--migrations', 'no/such/folder'],
    names: () => 'no/such/folder',
  },
  {
    what: 'a migrations path that is a plain file',
    argv: () => ['check', '--migrations', 'README.md'],
    names: () => 'README.md',
  },
  {
    what: 'a migration that does not load',
    argv: () => ['check', '--migrations', 'test/fixtures/cli/broken-malformed'],
    names: () => '001_broken.ts',
  },
  {
    what: '--steps -1',
    argv: () => ['rollback', '--target-url', OK_TARGET, '--backup', 'none', '--steps', '-1'],
    names: () => '--steps must be a whole number from 1',
  },
  {
    what: '--steps 0',
    argv: () => ['rollback', '--target-url', OK_TARGET, '--backup', 'none', '--steps', '0'],
    names: () => '--steps',
  },
  {
    what: '--steps abc',
    argv: () => ['rollback', '--target-url', OK_TARGET, '--backup', 'none', '--steps', 'abc'],
    names: () => '--steps',
  },
  {
    what: '--steps 1.5',
    argv: () => ['rollback', '--target-url', OK_TARGET, '--backup', 'none', '--steps', '1.5'],
    names: () => '--steps',
  },
  {
    what: '--to and --steps both',
    argv: () => ['rollback', '--target-url', OK_TARGET, '--backup', 'none', '--to', 'x', '--steps', '1'],
    names: () => 'give one of --to and --steps, not both',
  },
  {
    what: 'rollback with neither --to nor --steps',
    argv: () => ['rollback', '--target-url', OK_TARGET, '--backup', 'none'],
    names: () => '--to <name|0> or --steps <n>',
  },
  {
    what: 'restore --from a path that does not exist',
    argv: () => ['restore', '--target-url', OK_TARGET, '--backup', 'none', '--from', 'no/such.dump'],
    names: () => 'no/such.dump',
  },
  {
    what: 'restore --from an empty folder',
    argv: (p) => ['restore', '--target-url', OK_TARGET, '--backup', 'none', '--from', p.empty],
    names: (p) => `${p.empty} holds no backup`,
  },
  {
    what: 'apply --backup-dir a file',
    argv: (p) => ['apply', ...M, '--target-url', OK_TARGET, '--backup-dir', p.aFile],
    names: (p) => `--backup-dir must be a folder, but ${p.aFile} is a file`,
  },
  {
    what: 'restore --backup-dir a file',
    argv: (p) => ['restore', '--target-url', OK_TARGET, '--from', 'x.dump', '--backup-dir', p.aFile],
    names: () => '--backup-dir',
  },
  {
    what: 'apply without --backup-dir or --backup none',
    argv: () => ['apply', ...M, '--target-url', OK_TARGET],
    names: () => '--backup-dir',
  },
  {
    what: '--backup none with --backup-dir',
    argv: () => ['apply', ...M, '--target-url', OK_TARGET, '--backup', 'none', '--backup-dir', 'b'],
    names: () => 'give --backup none or --backup-dir, not both',
  },
  {
    what: '--backup maybe',
    argv: () => ['apply', ...M, '--target-url', OK_TARGET, '--backup', 'maybe'],
    names: () => '--backup must be one of',
  },
  {
    what: '--backup-verify laptop',
    argv: () => ['apply', ...M, '--target-url', OK_TARGET, '--backup-dir', 'b', '--backup-verify', 'laptop'],
    names: () => '--backup-verify',
  },
  {
    what: '--backup-verify without --backup-dir',
    argv: () => ['apply', ...M, '--target-url', OK_TARGET, '--backup', 'none', '--backup-verify', 'server'],
    names: () => '--backup-verify',
  },
  {
    what: '--mode fast',
    argv: () => ['check', ...M, '--mode', 'fast'],
    names: () => '--mode must be one of',
  },
  {
    what: '--throwaway vm',
    argv: () => ['check', ...M, '--throwaway', 'vm'],
    names: () => '--throwaway must be one of',
  },
  {
    what: '--dialect oracle',
    argv: () => ['check', ...M, '--dialect', 'oracle'],
    names: () => '--dialect must be postgres or mysql',
  },
  {
    what: '--fail-on sometimes',
    argv: () => ['check', ...M, '--fail-on', 'sometimes'],
    names: () => '--fail-on must be one of',
  },
  {
    what: '--format yaml',
    argv: () => ['check', ...M, '--format', 'yaml'],
    names: () => '--format must be one of',
  },
  {
    what: '--lock-timeout 5hours',
    argv: () => ['apply', ...M, '--target-url', OK_TARGET, '--backup', 'none', '--lock-timeout', '5hours'],
    names: () => '--lock-timeout must be a duration',
  },
  {
    what: '--statement-timeout -3s',
    argv: () => ['apply', ...M, '--target-url', OK_TARGET, '--backup', 'none', '--statement-timeout', '-3s'],
    names: () => '--statement-timeout must be a duration',
  },
  {
    what: '--transaction some',
    argv: () => ['apply', ...M, '--target-url', OK_TARGET, '--backup', 'none', '--transaction', 'some'],
    names: () => '--transaction must be one of',
  },
  {
    what: '--require-reversible maybe',
    argv: () => [
      'apply',
      ...M,
      '--target-url',
      OK_TARGET,
      '--backup',
      'none',
      '--require-reversible',
      'maybe',
    ],
    names: () => '--require-reversible must be true or false',
  },
  { what: 'status without a target', argv: () => ['status', ...M], names: () => 'status needs --target-url' },
  {
    what: 'a target URL of another scheme',
    argv: () => ['check', ...M, '--target-url', 'sqlite://x.db'],
    names: () => '--target-url: unsupported database URL scheme sqlite://',
  },
  {
    what: 'a server URL of another scheme',
    argv: () => ['check', ...M, '--server-url', 'http://db'],
    names: () => '--server-url: unsupported database URL scheme http://',
  },
  {
    what: 'a target URL with one slash',
    argv: () => ['check', ...M, '--target-url', 'postgres:/u:pw@h/db'],
    names: () => '--target-url: not a database URL',
  },
  {
    what: 'a target URL with an unencoded / in the password',
    argv: () => ['status', ...M, '--target-url', 'postgres://u:a/b@h/db'],
    names: () => '--target-url: not a database URL: the user or password holds',
  },
  {
    what: '--target-url without a value',
    argv: () => ['check', ...M, '--target-url'],
    names: () => "'--target-url <value>' argument missing",
  },
  {
    what: '--target-url followed by another option',
    argv: () => ['check', ...M, '--target-url', '--json'],
    names: () => '--target-url needs a value, but --json follows it',
  },
  {
    what: '--target-url-file that does not exist',
    argv: () => ['check', ...M, '--target-url-file', 'no/such.url'],
    names: () => '--target-url-file: cannot read no/such.url (ENOENT)',
  },
  {
    what: '--target-url-file that is empty',
    argv: (p) => ['check', ...M, '--target-url-file', p.emptyFile],
    names: (p) => `--target-url-file: ${p.emptyFile} is empty`,
  },
  {
    what: '--server-url and --server-url-file both',
    argv: (p) => ['check', ...M, '--server-url', OK_TARGET, '--server-url-file', p.emptyFile],
    names: () => 'give --server-url or --server-url-file, not both',
  },
  {
    what: 'a bad URL in MIGRATION_GATE_TARGET_URL',
    argv: () => ['status', ...M],
    env: { MIGRATION_GATE_TARGET_URL: 'sqlite://x' },
    names: () => 'MIGRATION_GATE_TARGET_URL: unsupported',
  },
  {
    what: 'a MySQL target URL naming no database',
    argv: () => ['status', ...M, '--target-url', 'mysql://root@127.0.0.1:9'],
    names: () => 'names no database',
  },
  {
    what: 'a target URL of the other dialect',
    argv: () => ['status', ...M, '--dialect', 'mysql', '--target-url', OK_TARGET],
    names: () => '--target-url is a postgres URL',
  },
  { what: 'an unknown option', argv: () => ['check', ...M, '--frobnicate'], names: () => "'--frobnicate'" },
  { what: 'an unexpected argument', argv: () => ['check', ...M, 'extra'], names: () => "'extra'" },
  {
    what: 'an option of another command',
    argv: () => ['status', ...M, '--target-url', OK_TARGET, '--to', 'x'],
    names: () => '--to is for command apply or rollback, not status',
  },
  { what: 'an unknown command', argv: () => ['frobnicate'], names: () => 'unknown command frobnicate' },
  { what: 'new without a name', argv: () => ['new'], names: () => 'new needs the name of the migration' },
  {
    what: '--throwaway server without --server-url',
    argv: () => ['check', ...M, '--throwaway', 'server'],
    names: () => '--server-url',
  },
  {
    what: 'a server URL on a closed port',
    argv: (p) => [
      'check',
      ...M,
      '--throwaway',
      'server',
      '--server-url',
      `postgres://u@127.0.0.1:${p.closedPort}/x`,
    ],
    names: (p) => `127.0.0.1:${p.closedPort}/x: connection refused`,
  },
];

let root: string;
let paths: Paths;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'migration-gate-bad-inputs-'));
  const folder = async (name: string) => {
    const path = join(root, name);
    await mkdir(path);
    return path;
  };
  const loop = await folder('loop');
  await symlink(join(loop, '001_loop.ts'), join(loop, '001_loop.ts'));
  const dangling = await folder('dangling');
  await symlink(join(root, 'nothing-here.sql'), join(dangling, '001_gone.sql'));
  const notUtf8 = await folder('not-utf8');
  // 001_café.sql written in Latin-1: the é is the lone byte 0xE9.
  await writeFile(
    Buffer.concat([Buffer.from(`${notUtf8}/001_caf`), Buffer.from([0xe9]), Buffer.from('.sql')]),
    '',
  );
  const aFile = join(root, 'a-file');
  await writeFile(aFile, 'not a folder');
  const emptyFile = join(root, 'empty.url');
  await writeFile(emptyFile, '\n');
  paths = {
    empty: await folder('empty'),
    loop,
    dangling,
    notUtf8,
    aFile,
    emptyFile,
    closedPort: await closedLoopbackPort(),
  };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.concurrent(`${BAD_INPUTS.length} bad inputs, each a clear error naming the input`, () => {
  for (const input of BAD_INPUTS) {
    test(`${input.what}: exit ${input.code ?? 2}, the message names it`, async () => {
      await using cli = spawnCli(input.argv(paths), { env: { ...input.env } });
      const { code, stderr } = await cli.exited;
      expect(stderr).toContain(input.names(paths));
      expect(stderr).toMatch(/^error: /m);
      expect(code).toBe(input.code ?? 2);
    });
  }
});

test('an empty migrations folder passes when --allow-empty says it is expected', async () => {
  await using cli = spawnCli([
    'check',
    '--migrations',
    paths.empty,
    '--allow-empty',
    '--throwaway',
    'embedded',
  ]);
  const { code, stdout } = await cli.exited;
  expect(stdout).toContain('0 migration(s)');
  expect(code).toBe(0);
});
