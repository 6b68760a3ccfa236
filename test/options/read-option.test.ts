import { describe, expect, test } from 'vitest';
import { UsageError } from '../../src/core/model/errors.ts';
import {
  readDatabaseOptions,
  refuseMixedDialects,
  refuseOtherDialect,
} from '../../src/core/parts/options/database-options.ts';
import { describeAmong } from '../../src/core/parts/options/describe-option.ts';
import type { DefaultedOption, Option } from '../../src/core/parts/options/option.ts';
import { givenValue, optionValue, refuseOutsideCommand } from '../../src/core/parts/options/read-option.ts';
import type { OptionSource } from '../../src/core/parts/options/read-option.ts';
import { oneOf, wholeNumber } from '../../src/core/parts/options/value-parsers.ts';

/** A shell that was given `values`, naming options as the CLI does. */
function given(values: Record<string, string>): OptionSource {
  return { given: (name) => values[name], label: (name) => `--${name}` };
}

const MODE: DefaultedOption<'step' | 'sequence'> = {
  name: 'mode',
  placeholder: '<mode>',
  commands: ['check'],
  default: 'step',
  description: 'how the proof groups migrations',
  parse: oneOf(['step', 'sequence'] as const),
};

const STEPS: Option<number> = {
  name: 'steps',
  placeholder: '<n>',
  commands: ['rollback'],
  description: 'how many migrations to roll back',
  parse: wholeNumber(1, 100),
};

const BACKUP_DIR: Option<string> = {
  name: 'backup-dir',
  placeholder: '<dir>',
  commands: ['apply', 'rollback', 'restore'],
  description: 'where backups are written',
  parse: (text) => text,
};

describe('reading an option', () => {
  test('what was given, parsed', () => {
    expect(optionValue(given({ mode: 'sequence', steps: '3' }), MODE)).toBe('sequence');
    expect(optionValue(given({ steps: '3' }), STEPS)).toBe(3);
  });

  test('else its default, parsed the same way; else nothing', () => {
    expect(optionValue(given({}), MODE)).toBe('step');
    expect(optionValue(given({}), STEPS)).toBeUndefined();
  });

  test('a bad value is a UsageError naming the option as the shell names it', () => {
    const action: OptionSource = { given: () => 'sideways', label: (name) => `input ${name}` };
    expect(() => optionValue(action, MODE)).toThrow(
      new UsageError('input mode must be one of step, sequence, not sideways'),
    );
  });

  test('givenValue ignores the default: only a choice is passed on', () => {
    expect(givenValue(given({}), MODE)).toBeUndefined();
    expect(givenValue(given({ mode: 'sequence' }), MODE)).toBe('sequence');
  });
});

describe('an option given to a command that does not take it', () => {
  test('is refused, naming the commands that take it', () => {
    expect(() =>
      refuseOutsideCommand(given({ steps: '1' }), [MODE, STEPS], 'apply', ['check', 'apply', 'rollback']),
    ).toThrow(new UsageError('--steps is for command rollback, not apply'));
  });

  test("names only the shell's own commands", () => {
    expect(() =>
      refuseOutsideCommand(given({ 'backup-dir': 'b' }), [BACKUP_DIR], 'status', [
        'check',
        'apply',
        'rollback',
        'status',
      ]),
    ).toThrow(new UsageError('--backup-dir is for command apply or rollback, not status'));
  });

  test('an option not given, or given to a command that takes it, passes', () => {
    expect(() =>
      refuseOutsideCommand(given({ steps: '1' }), [MODE, STEPS], 'rollback', ['rollback']),
    ).not.toThrow();
    expect(() => refuseOutsideCommand(given({}), [MODE, STEPS], 'apply', ['apply'])).not.toThrow();
  });
});

describe('a description among several commands', () => {
  test('says which of them take the option', () => {
    expect(describeAmong(BACKUP_DIR, ['apply', 'status', 'rollback', 'restore'])).toBe(
      'apply, rollback, restore: where backups are written',
    );
    expect(describeAmong(MODE, ['check', 'apply', 'rollback', 'status'])).toBe(
      'check: how the proof groups migrations',
    );
  });

  test('is the description alone when all of them do', () => {
    expect(describeAmong(MODE, ['check'])).toBe('how the proof groups migrations');
  });
});

describe('the dialect and the database URLs', () => {
  const POSTGRES = 'postgres://deployer:s3cret@db.example.com:5432/app';

  test('are read together, each checked', () => {
    expect(readDatabaseOptions(given({ dialect: 'MariaDB', 'target-url': 'mysql://db/app' }))).toEqual({
      dialect: 'mysql',
      targetUrl: 'mysql://db/app',
    });
    expect(() => readDatabaseOptions(given({ 'server-url': 'sqlite://x' }))).toThrow(
      /^--server-url: unsupported database URL scheme sqlite:/,
    );
  });

  test('a URL of the other dialect is refused, named without its credentials', () => {
    expect(() => refuseOtherDialect('--target-url', POSTGRES, 'mysql')).toThrow(
      new UsageError(
        '--target-url is a postgres URL (postgres://db.example.com:5432/app) but dialect is mysql',
      ),
    );
    const source = given({ dialect: 'mysql', 'server-url': POSTGRES });
    expect(() => refuseMixedDialects(source, readDatabaseOptions(source))).toThrow(
      /^--server-url is a postgres URL \(postgres:\/\/db\.example\.com:5432\/app\) but dialect is mysql$/,
    );
  });

  test('without a dialect, or with the same one, any URL passes', () => {
    expect(() => refuseOtherDialect('--target-url', POSTGRES, undefined)).not.toThrow();
    expect(() => refuseOtherDialect('--target-url', POSTGRES, 'postgres')).not.toThrow();
    expect(() => refuseOtherDialect('--target-url', undefined, 'mysql')).not.toThrow();
  });
});
