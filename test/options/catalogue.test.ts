import { describe, expect, test } from 'vitest';
import { ACTION_INPUTS, GITHUB_TOKEN } from '../../src/action/input-catalogue.ts';
import { CLI_OPTIONS } from '../../src/cli/cli-options.ts';
import { LOCK_TIMEOUT, SHARED_OPTIONS } from '../../src/core/parts/options/catalogue.ts';

const names = (options: readonly { name: string }[]) => options.map((option) => option.name);

describe('the option catalogue', () => {
  test('both shells take every shared option', () => {
    expect(names(CLI_OPTIONS)).toEqual(expect.arrayContaining(names(SHARED_OPTIONS)));
    expect(names(ACTION_INPUTS)).toEqual(expect.arrayContaining(names(SHARED_OPTIONS)));
  });

  test('no name is defined twice in either shell', () => {
    for (const options of [CLI_OPTIONS, ACTION_INPUTS]) {
      expect(new Set(names(options)).size).toBe(options.length);
    }
  });

  test("every default is a value its own parser takes (the runner fills the token's)", () => {
    for (const option of [...CLI_OPTIONS, ...ACTION_INPUTS]) {
      if (option.default === undefined || option === GITHUB_TOKEN) continue;
      expect(() => option.parse(option.default!, option.name), option.name).not.toThrow();
    }
  });

  test('every option is for some command', () => {
    for (const option of [...CLI_OPTIONS, ...ACTION_INPUTS])
      expect(option.commands, option.name).not.toEqual([]);
  });

  test('a switch (no value on the command line) is off by default: naming it turns it on', () => {
    for (const option of CLI_OPTIONS.filter((option) => option.placeholder === undefined)) {
      expect(option.default, option.name).toBe('false');
    }
  });

  test('the lock timeout says what the engine does: three attempts, so retried twice', () => {
    expect(LOCK_TIMEOUT.description).toContain('retried twice');
  });
});
