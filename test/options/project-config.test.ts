import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readProjectConfig } from '../../src/core/parts/options/project-config.ts';

describe('migration-gate.config.json: the project-wide rule settings', () => {
  let cwd: string;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'migration-gate-config-'));
  });
  afterEach(() => rm(cwd, { recursive: true, force: true }));
  const write = (text: string) => writeFile(join(cwd, 'migration-gate.config.json'), text);

  test('no file: no settings', async () => {
    expect(await readProjectConfig(cwd)).toEqual({});
  });

  test('rules turned off or given another severity, and the lock timeout the deploys set', async () => {
    await write(
      JSON.stringify({ rules: { 'prefer-text': 'off', 'update-without-where': 'error' }, lockTimeout: '5s' }),
    );
    expect(await readProjectConfig(cwd)).toEqual({
      rules: { 'prefer-text': 'off', 'update-without-where': 'error' },
      lockTimeoutMs: 5_000,
    });
  });

  test('a typo is an error naming the file, never a rule silently left on', async () => {
    await write(JSON.stringify({ rules: { 'prefer-txt': 'off' } }));
    await expect(readProjectConfig(cwd)).rejects.toThrow(
      'migration-gate.config.json: rules: unknown rule prefer-txt (see docs/rules/README.md for the ids)',
    );
    await write(JSON.stringify({ rules: { 'prefer-text': 'silent' } }));
    await expect(readProjectConfig(cwd)).rejects.toThrow(
      'migration-gate.config.json: rules: prefer-text must be off, error, warning or notice, not "silent"',
    );
    await write(JSON.stringify({ rule: {} }));
    await expect(readProjectConfig(cwd)).rejects.toThrow(
      'unknown setting rule (known: rules, lockTimeout, seed)',
    );
    await write(JSON.stringify({ lockTimeout: 'soon' }));
    await expect(readProjectConfig(cwd)).rejects.toThrow('lockTimeout must be a duration');
    await write('{ rules: ');
    await expect(readProjectConfig(cwd)).rejects.toThrow('migration-gate.config.json: not valid JSON');
  });
});
