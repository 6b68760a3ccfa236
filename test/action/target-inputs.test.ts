import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readInputs } from '../../src/action/inputs.ts';
import type { Command } from '../../src/action/input-catalogue.ts';
import { secretsOf } from '../../src/action/secrets.ts';
import { UsageError } from '../../src/core/model/errors.ts';

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'migration-gate-target-inputs-'));
  await mkdir(join(workspace, 'services', 'billing'), { recursive: true });
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

/** What action.yml's defaults make every step receive, whatever its command. */
const ACTION_DEFAULTS = {
  mode: 'step',
  throwaway: 'auto',
  parallel: '4',
  'allow-drift': 'false',
  'require-reversible': 'true',
  backup: 'verified',
  'backup-verify': 'server',
  'migration-table': 'kysely_migration',
  'github-token': 'ghs_token',
  comment: 'true',
  'fail-on': 'error',
  'working-directory': '.',
};

const TARGET = 'postgres://deployer:s3cret@db.example.com:5432/app';

async function targetInputsOf(inputs: Record<string, string>) {
  return (await readInputs(reader({ ...ACTION_DEFAULTS, ...inputs }), workspace)).target;
}

async function refusal(inputs: Record<string, string>): Promise<Error> {
  const error = await readInputs(reader({ ...ACTION_DEFAULTS, ...inputs }), workspace).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as Error;
}

describe('the target of apply, rollback and status', () => {
  test.each<Command>(['apply', 'rollback', 'status'])(
    '%s needs target-url or targets, and says so',
    async (command) => {
      expect((await refusal({ command, to: command === 'rollback' ? '0' : '' })).message).toBe(
        `command ${command} needs input target-url (or targets), from a secret`,
      );
    },
  );

  test('target-url and targets together are refused', async () => {
    expect((await refusal({ command: 'apply', 'target-url': TARGET, targets: TARGET })).message).toBe(
      'give input target-url or input targets, not both',
    );
  });

  test('target-url gives one target', async () => {
    expect((await targetInputsOf({ command: 'status', 'target-url': TARGET }))?.urls).toEqual([TARGET]);
  });

  test('targets holds one URL per line; blank lines and lines starting with # are skipped', async () => {
    const targets = [
      '# the EU shards',
      'postgres://deployer:one@eu-1.example.com/app',
      '',
      '   postgres://deployer:two@eu-2.example.com/app   ',
      '  # the US shard',
      'postgresql://deployer:three@us-1.example.com/app',
      '',
    ].join('\n');
    expect((await targetInputsOf({ command: 'apply', targets }))?.urls).toEqual([
      'postgres://deployer:one@eu-1.example.com/app',
      'postgres://deployer:two@eu-2.example.com/app',
      'postgresql://deployer:three@us-1.example.com/app',
    ]);
  });

  test('targets written with Windows line endings read the same', async () => {
    const targets = 'postgres://eu-1.example.com/app\r\npostgres://eu-2.example.com/app\r\n';
    expect((await targetInputsOf({ command: 'status', targets }))?.urls).toEqual([
      'postgres://eu-1.example.com/app',
      'postgres://eu-2.example.com/app',
    ]);
  });

  test('a targets line with only comments and blank lines is no target at all', async () => {
    expect((await refusal({ command: 'status', targets: '# none yet\n\n' })).message).toBe(
      'command status needs input target-url (or targets), from a secret',
    );
  });

  test('a malformed targets entry is refused by its entry number, never quoting its password', async () => {
    const notAUrl = await refusal({
      command: 'apply',
      targets: `${TARGET}\npostgres://deployer:hunter2@[db.example.com/app`,
    });
    expect(notAUrl.message).toContain('input targets (entry 2): not a database URL');
    expect(notAUrl.message).not.toContain('hunter2');

    const wrongScheme = await refusal({
      command: 'apply',
      targets: `https://deployer:hunter2@db.example.com/app\n${TARGET}`,
    });
    expect(wrongScheme.message).toContain(
      'input targets (entry 1): unsupported database URL scheme https://',
    );
    expect(wrongScheme.message).not.toContain('hunter2');
  });

  test('entries are numbered among the URLs: comment and blank lines do not count', async () => {
    const error = await refusal({
      command: 'apply',
      targets: `# primary\n\n${TARGET}\n# broken one\nftp://deployer:hunter2@files.example.com/`,
    });
    expect(error.message).toContain('input targets (entry 2):');
  });

  test('a targets URL of the other dialect than dialect is refused, named without credentials', async () => {
    const error = await refusal({
      command: 'apply',
      dialect: 'mysql',
      targets: `mysql://deployer:one@db-1.example.com/app\n${TARGET}`,
    });
    expect(error.message).toBe(
      'input targets (entry 2) is a postgres URL (postgres://db.example.com:5432/app) but dialect is mysql',
    );
  });

  test('targets is not an input of check', async () => {
    expect((await refusal({ command: 'check', targets: TARGET })).message).toBe(
      'input targets is for command apply or rollback or status, not check',
    );
  });
});

describe('what rollback goes back to', () => {
  test('exactly one of to, steps and restore: none is refused', async () => {
    expect((await refusal({ command: 'rollback', 'target-url': TARGET })).message).toBe(
      'command rollback needs exactly one of the inputs to (a migration name, or 0 for none), steps or restore; 0 given',
    );
  });

  test('exactly one of to, steps and restore: two or three are refused', async () => {
    expect(
      (await refusal({ command: 'rollback', 'target-url': TARGET, to: '0', steps: '1' })).message,
    ).toMatch(/; 2 given$/);
    expect(
      (await refusal({ command: 'rollback', 'target-url': TARGET, steps: '1', restore: 'backup' })).message,
    ).toMatch(/; 2 given$/);
    expect(
      (await refusal({ command: 'rollback', 'target-url': TARGET, to: '0', steps: '1', restore: 'backup' }))
        .message,
    ).toMatch(/; 3 given$/);
  });

  test('to names a migration, and 0 (every migration) is accepted', async () => {
    expect((await targetInputsOf({ command: 'rollback', 'target-url': TARGET, to: '0' }))?.rollback).toEqual({
      to: '0',
    });
    expect(
      (await targetInputsOf({ command: 'rollback', 'target-url': TARGET, to: '20250101_add_users' }))
        ?.rollback,
    ).toEqual({ to: '20250101_add_users' });
  });

  test('steps is a whole number of at least 1', async () => {
    expect(
      (await targetInputsOf({ command: 'rollback', 'target-url': TARGET, steps: '3' }))?.rollback,
    ).toEqual({
      steps: 3,
    });
    for (const steps of ['0', '-1', '1.5', 'two', '1e3']) {
      expect((await refusal({ command: 'rollback', 'target-url': TARGET, steps })).message).toBe(
        `input steps must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, not ${steps}`,
      );
    }
  });

  test('restore names a backup, kept as given until the step resolves it', async () => {
    expect(
      (await targetInputsOf({ command: 'rollback', 'target-url': TARGET, restore: 'backup-42' }))?.rollback,
    ).toEqual({ restore: 'backup-42' });
  });

  test.each(['steps', 'restore'])('%s is refused with command apply, and with status', async (name) => {
    expect((await refusal({ command: 'apply', 'target-url': TARGET, [name]: '1' })).message).toBe(
      `input ${name} is for command rollback, not apply`,
    );
    expect((await refusal({ command: 'status', 'target-url': TARGET, [name]: '1' })).message).toBe(
      `input ${name} is for command rollback, not status`,
    );
  });

  test('to is where apply stops; status refuses it', async () => {
    expect((await targetInputsOf({ command: 'apply', 'target-url': TARGET, to: '0002_b' }))?.applyTo).toBe(
      '0002_b',
    );
    expect((await refusal({ command: 'status', 'target-url': TARGET, to: '1' })).message).toBe(
      'input to is for command apply or rollback, not status',
    );
  });

  test('apply and status carry no rollback goal', async () => {
    expect(await targetInputsOf({ command: 'apply', 'target-url': TARGET })).not.toHaveProperty('rollback');
    expect(await targetInputsOf({ command: 'status', 'target-url': TARGET })).not.toHaveProperty('rollback');
  });
});

describe('the guards of a change', () => {
  test.each([
    ['5000', 5000],
    ['5000ms', 5000],
    ['5s', 5000],
    ['2min', 120_000],
    ['2m', 120_000],
  ])('lock-timeout and statement-timeout read %s as %i ms', async (given, ms) => {
    const target = await targetInputsOf({
      command: 'apply',
      'target-url': TARGET,
      'lock-timeout': given,
      'statement-timeout': given,
    });
    expect(target?.lockTimeoutMs).toBe(ms);
    expect(target?.statementTimeoutMs).toBe(ms);
  });

  test.each(['0', '-1', '5h', 'abc', '1.5s', '0s'])('a timeout of %s is refused', async (given) => {
    expect((await refusal({ command: 'apply', 'target-url': TARGET, 'lock-timeout': given })).message).toBe(
      `input lock-timeout must be a duration such as 5000 (ms), 5s or 2min, not ${given}`,
    );
    expect(
      (await refusal({ command: 'rollback', 'target-url': TARGET, to: '0', 'statement-timeout': given }))
        .message,
    ).toBe(`input statement-timeout must be a duration such as 5000 (ms), 5s or 2min, not ${given}`);
  });

  test('timeouts and backup-dir are for apply and rollback only', async () => {
    for (const name of ['lock-timeout', 'statement-timeout', 'backup-dir']) {
      expect((await refusal({ command: 'status', 'target-url': TARGET, [name]: '5s' })).message).toBe(
        `input ${name} is for command apply or rollback, not status`,
      );
      expect((await refusal({ command: 'check', [name]: '5s' })).message).toBe(
        `input ${name} is for command apply or rollback, not check`,
      );
    }
  });

  test('parallel is a whole number from 1 to 16', async () => {
    for (const parallel of ['1', '16']) {
      expect((await targetInputsOf({ command: 'apply', 'target-url': TARGET, parallel }))?.parallel).toBe(
        Number(parallel),
      );
    }
    for (const parallel of ['0', '17', '-2', '2.5', 'four']) {
      expect((await refusal({ command: 'apply', 'target-url': TARGET, parallel })).message).toBe(
        `input parallel must be a whole number from 1 to 16, not ${parallel}`,
      );
    }
  });

  test('backup is verified or none, said explicitly', async () => {
    expect((await targetInputsOf({ command: 'apply', 'target-url': TARGET, backup: 'none' }))?.backup).toBe(
      'none',
    );
    expect((await refusal({ command: 'apply', 'target-url': TARGET, backup: 'skip' })).message).toBe(
      'input backup must be one of verified, none, not skip',
    );
  });

  test('allow-drift and require-reversible are booleans', async () => {
    const target = await targetInputsOf({
      command: 'apply',
      'target-url': TARGET,
      'allow-drift': 'true',
      'require-reversible': 'False',
    });
    expect(target?.allowDrift).toBe(true);
    expect(target?.requireReversible).toBe(false);
    expect((await refusal({ command: 'apply', 'target-url': TARGET, 'allow-drift': 'yes' })).message).toBe(
      'input allow-drift must be true or false, not yes',
    );
  });

  test('backup-dir is resolved against the working directory; an absolute one is kept', async () => {
    const relative = await targetInputsOf({
      command: 'apply',
      'target-url': TARGET,
      'working-directory': 'services/billing',
      'backup-dir': 'backups',
    });
    expect(relative?.backupDir).toBe(join(workspace, 'services', 'billing', 'backups'));

    const absolute = join(tmpdir(), 'elsewhere');
    expect(
      (await targetInputsOf({ command: 'apply', 'target-url': TARGET, 'backup-dir': absolute }))?.backupDir,
    ).toBe(absolute);
  });

  test('by default: 4 at once, a verified backup, reversibility required, drift refused, a 3 min lock wait', async () => {
    expect(await readInputs(reader({ command: 'apply', 'target-url': TARGET }), workspace)).toMatchObject({
      target: {
        urls: [TARGET],
        parallel: 4,
        backup: 'verified',
        requireReversible: true,
        allowDrift: false,
      },
    });
    // Unset optional inputs leave no key behind.
    expect((await readInputs(reader({ command: 'apply', 'target-url': TARGET }), workspace)).target).toEqual({
      urls: [TARGET],
      parallel: 4,
      backup: 'verified',
      backupVerify: 'server',
      requireReversible: true,
      allowDrift: false,
      dryRun: false,
      failOnPending: false,
      lockWaitMs: 3 * 60_000,
    });
  });
});

describe('backup-verify', () => {
  test('server by default; container on request; nothing else', async () => {
    expect((await targetInputsOf({ command: 'apply', 'target-url': TARGET }))?.backupVerify).toBe('server');
    expect(
      (
        await targetInputsOf({
          command: 'rollback',
          'target-url': TARGET,
          steps: '1',
          'backup-verify': 'container',
        })
      )?.backupVerify,
    ).toBe('container');
    expect(
      (await refusal({ command: 'apply', 'target-url': TARGET, 'backup-verify': 'laptop' })).message,
    ).toBe('input backup-verify must be one of server, container, not laptop');
    expect(
      (await refusal({ command: 'status', 'target-url': TARGET, 'backup-verify': 'container' })).message,
    ).toBe('input backup-verify is for command apply or rollback, not status');
  });
});

describe('transaction', () => {
  test('apply takes per-migration or all', async () => {
    expect(
      (await targetInputsOf({ command: 'apply', 'target-url': TARGET, transaction: 'all' }))?.transaction,
    ).toBe('all');
    expect((await refusal({ command: 'apply', 'target-url': TARGET, transaction: 'each' })).message).toBe(
      'input transaction must be one of per-migration, all, not each',
    );
  });

  test('is for apply only', async () => {
    expect(
      (await refusal({ command: 'rollback', 'target-url': TARGET, steps: '1', transaction: 'all' })).message,
    ).toBe('input transaction is for command apply, not rollback');
  });
});

describe('check', () => {
  test("gets no target, although action.yml's defaults for the target inputs arrive", async () => {
    const inputs = await readInputs(reader({ ...ACTION_DEFAULTS, command: 'check' }), workspace);
    expect(inputs).not.toHaveProperty('target');
    expect(inputs.command).toBe('check');
  });

  test('still reads target-url, a database it only reads', async () => {
    const inputs = await readInputs(
      reader({ ...ACTION_DEFAULTS, command: 'check', 'target-url': TARGET }),
      workspace,
    );
    expect(inputs.targetUrl).toBe(TARGET);
    expect(inputs).not.toHaveProperty('target');
  });
});

describe('secretsOf with many targets', () => {
  test('every line of targets is masked, and each password as written and decoded', () => {
    const secrets = secretsOf(
      reader({
        targets: [
          'postgres://deployer:one@eu-1.example.com/app',
          '',
          '  mysql://deployer:p%40ss@eu-2.example.com/app  ',
          'postgres://reader@us-1.example.com/app',
        ].join('\n'),
      }),
    );
    expect(secrets).toEqual(
      expect.arrayContaining([
        'postgres://deployer:one@eu-1.example.com/app',
        'one',
        'mysql://deployer:p%40ss@eu-2.example.com/app',
        'p%40ss',
        'p@ss',
        'postgres://reader@us-1.example.com/app',
      ]),
    );
    expect(secrets).not.toContain('');
  });

  test('targets and target-url are masked together, even when the step will refuse them', () => {
    const secrets = secretsOf(
      reader({
        'target-url': 'postgres://admin:first@db.example.com/app',
        targets: 'postgres://admin:second@db.example.com/app',
      }),
    );
    expect(secrets).toEqual(expect.arrayContaining(['first', 'second']));
  });
});
