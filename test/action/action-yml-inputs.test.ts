import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ACTION_INPUTS, actionInputDescription } from '../../src/action/input-catalogue.ts';
import { SHARED_OPTIONS } from '../../src/core/parts/options/catalogue.ts';
import { REPO_ROOT } from './run-action.ts';

/** action.yml's inputs as the runner reads them (folded descriptions joined into one line). */
const INPUTS = (
  parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  }
).inputs;

/** The inputs only the action has: the rest are options the CLI has too. */
const ACTION_ONLY = [
  'command',
  'targets',
  'parallel',
  'backup-artifact',
  'backup-retention-days',
  'restore',
  'github-token',
  'comment',
  'working-directory',
];

describe('action.yml and the option catalogue', () => {
  test('every option both shells have is an input, with the description and default of the catalogue', () => {
    for (const option of SHARED_OPTIONS) {
      const input = INPUTS[option.name];
      expect(input, option.name).toBeDefined();
      expect(input?.description, option.name).toBe(actionInputDescription(option));
      expect(input?.default, option.name).toBe(option.default);
    }
  });

  test("every input is a shared option or one of the action's own, described and defaulted as defined", () => {
    const defined = new Map(ACTION_INPUTS.map((input) => [input.name, input]));
    for (const [name, input] of Object.entries(INPUTS)) {
      const definition = defined.get(name);
      expect(definition, `${name} is in action.yml but not defined`).toBeDefined();
      expect(input.description, name).toBe(actionInputDescription(definition!));
      expect(input.default, name).toBe(definition!.default);
    }
    expect(Object.keys(INPUTS).sort()).toEqual([...defined.keys()].sort());
  });

  test("the action's own inputs are the documented few", () => {
    const shared = new Set(SHARED_OPTIONS.map((option) => option.name));
    expect(ACTION_INPUTS.map((input) => input.name).filter((name) => !shared.has(name))).toEqual(ACTION_ONLY);
  });

  test('only command is required', () => {
    expect(Object.keys(INPUTS).filter((name) => INPUTS[name]?.required === true)).toEqual(['command']);
  });
});
