import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readInputs } from '../../src/action/inputs.ts';
import { secretsOf } from '../../src/action/secrets.ts';

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'migration-gate-inputs-'));
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

describe('readInputs', () => {
  test('only command is required; empty or blank inputs are unset', async () => {
    expect(await readInputs(reader({ command: 'check', image: '  ', dialect: '' }), workspace)).toEqual({
      command: 'check',
      mode: 'step',
      allowEmpty: false,
      seedRows: true,
      mergedCache: true,
      throwaway: 'auto',
      failOn: 'error',
      comment: true,
      workingDirectory: workspace,
    });
  });

  test('dialect accepts the names people use; MariaDB is mysql', async () => {
    for (const [given, dialect] of [
      ['PostgreSQL', 'postgres'],
      ['pg', 'postgres'],
      ['mariadb', 'mysql'],
    ]) {
      expect((await readInputs(reader({ command: 'check', dialect: given! }), workspace)).dialect).toBe(
        dialect,
      );
    }
  });

  test('a working directory that does not exist fails at once', async () => {
    await expect(
      readInputs(reader({ command: 'check', 'working-directory': 'nowhere' }), workspace),
    ).rejects.toThrow(`input working-directory: ${join(workspace, 'nowhere')} is not a directory`);
  });

  test('a target URL that is not a database URL is refused without quoting its credentials', async () => {
    await expect(
      readInputs(
        reader({ command: 'check', 'target-url': 'https://admin:hunter2@db.example.com/app' }),
        workspace,
      ),
    ).rejects.toThrow('input target-url: unsupported database URL scheme https://');
  });
});

describe('secretsOf: what the runner is told to mask', () => {
  test('the token, each URL, and each password as written and decoded', () => {
    const secrets = secretsOf(
      reader({
        'github-token': 'ghs_token',
        'server-url': 'postgres://ci:p%40ss@127.0.0.1:5432/postgres',
        'target-url': 'mysql://reader@db.example.com/app',
      }),
    );
    expect(secrets).toEqual([
      'ghs_token',
      'postgres://ci:p%40ss@127.0.0.1:5432/postgres',
      'p%40ss',
      'p@ss',
      'mysql://reader@db.example.com/app',
    ]);
  });
});

describe('secretsOf with malformed URLs', () => {
  test('a password with an unencoded @ or / is masked in every reading of it', () => {
    const secrets = secretsOf(
      reader({
        'target-url': 'postgres://deployer:p@ss:w/rd%@db.example.com/app',
        'server-url': 'postgres:/ci:hunter2@127.0.0.1/postgres',
      }),
    );
    expect(secrets).toEqual(expect.arrayContaining(['p@ss:w/rd%', 'hunter2']));
  });
});
