import { describe, expect, test } from 'vitest';
import { parseCheckArguments } from '../../src/cli/args.ts';
import { CLI_OPTIONS } from '../../src/cli/cli-options.ts';
import { parseTargetArguments } from '../../src/cli/target-args.ts';
import { USAGE, commandUsage } from '../../src/cli/usage.ts';
import { COMMAND_NAMES } from '../../src/core/parts/options/option.ts';
import type { CommandName } from '../../src/core/parts/options/option.ts';

const TARGET = 'postgres://deployer:s3cret@db.example.com:5432/app';
const APPLY = ['--target-url', TARGET, '--backup', 'none'];

describe('the command line, read through the option catalogue', () => {
  test.each([
    ['5000', 5000],
    ['5s', 5000],
    ['2min', 120_000],
  ])('--lock-timeout, --statement-timeout and --lock-wait take %s, as the action does', (given, ms) => {
    const args = parseTargetArguments(
      'apply',
      [...APPLY, '--lock-timeout', given, '--statement-timeout', given, '--lock-wait', given],
      {},
    );
    expect(args.limits).toEqual({ lockTimeoutMs: ms, statementTimeoutMs: ms, lockWaitMs: ms });
  });

  test('defaults come from the catalogue', () => {
    const args = parseTargetArguments('apply', APPLY, {});
    expect(args).toMatchObject({
      throwaway: 'auto',
      allowDrift: false,
      requireReversible: true,
      format: 'text',
    });
    expect(args).not.toHaveProperty('migrationTable');
    // Bounded by default: a run never waits for Kysely's lock longer than three minutes.
    expect(args.limits).toEqual({ lockWaitMs: 3 * 60_000 });
    expect(parseCheckArguments([], {}).request).toEqual({
      throwaway: 'auto',
      mode: 'step',
      allowEmpty: false,
      seedRows: true,
      mergedCache: true,
    });
  });

  test('check: --merged-cache false replays the merged history instead of restoring it', () => {
    expect(parseCheckArguments(['--merged-cache', 'false'], {}).request).toMatchObject({
      mergedCache: false,
    });
  });

  test('check: --seed-rows false proves on empty tables, --seed names the project seed', () => {
    expect(parseCheckArguments(['--seed-rows', 'false', '--seed', 'db/seed.sql'], {}).request).toMatchObject({
      seedRows: false,
      seed: 'db/seed.sql',
    });
  });

  test("a switch is on when named; a boolean with a value takes the action's spellings", () => {
    const args = parseTargetArguments(
      'apply',
      [...APPLY, '--allow-drift', '--require-reversible', 'False'],
      {},
    );
    expect(args.allowDrift).toBe(true);
    expect(args.requireReversible).toBe(false);
  });

  test('an unset URL option falls back to its environment variable, which then names a bad value', () => {
    const env = { MIGRATION_GATE_TARGET_URL: TARGET };
    expect(parseTargetArguments('status', ['--target-url', ''], env).targetUrl).toBe(TARGET);
    expect(() => parseCheckArguments([], { MIGRATION_GATE_SERVER_URL: 'sqlite://x' })).toThrow(
      /^MIGRATION_GATE_SERVER_URL: unsupported database URL scheme sqlite:/,
    );
  });

  test('an option of another command is refused by name, not as unknown', () => {
    expect(() => parseTargetArguments('apply', [...APPLY, '--steps', '1'], {})).toThrow(
      '--steps is for command rollback, not apply',
    );
    expect(() => parseTargetArguments('status', ['--target-url', TARGET, '--to', '0'], {})).toThrow(
      '--to is for command apply or rollback, not status',
    );
    expect(() => parseCheckArguments(['--lock-timeout', '5s'], {})).toThrow(
      '--lock-timeout is for command apply or rollback, not check',
    );
  });

  test('an environment variable meant for another command is no error', () => {
    const env = { MIGRATION_GATE_SERVER_URL: 'postgres://127.0.0.1/postgres' };
    expect(parseTargetArguments('restore', [...APPLY, '--from', 'backup.dump'], env).from).toBe(
      'backup.dump',
    );
  });

  test('a target command refuses a URL of the other dialect than --dialect', () => {
    expect(() => parseTargetArguments('status', ['--target-url', TARGET, '--dialect', 'mysql'], {})).toThrow(
      '--target-url is a postgres URL (postgres://db.example.com:5432/app) but dialect is mysql',
    );
  });

  test('--backup verified without --backup-dir asks for one', () => {
    expect(() => parseTargetArguments('apply', ['--target-url', TARGET, '--backup', 'verified'], {})).toThrow(
      'apply changes the target: give --backup-dir <dir>, or --backup none to go without',
    );
  });
});

/** A command's help with its line breaks and indents as single spaces, for phrases that wrap. */
const flatUsage = (command: CommandName) => commandUsage(command).replace(/\s+/g, ' ');

describe('--help, generated from the catalogue', () => {
  test("each command's help lists every option that command takes, and no other", () => {
    for (const command of COMMAND_NAMES) {
      const help = commandUsage(command);
      for (const option of CLI_OPTIONS) {
        const listed = new RegExp(`^  --${option.name}(?=\\s)`, 'm').test(help);
        expect(listed, `${command} --${option.name}`).toBe(option.commands.includes(command));
      }
    }
    expect(commandUsage('apply')).toMatch(/^ {2}--transaction <mode> +per-migration/m);
    expect(commandUsage('rollback')).toMatch(/^ {2}--to <name\|0> +where to stop: apply applies/m);
  });

  test('the lock timeout takes the same forms as in the action, and is retried twice (three attempts)', () => {
    expect(flatUsage('apply')).toContain('5000 (ms), 5000ms, 5s or 2min');
    expect(flatUsage('apply')).toContain('retried twice');
    expect(commandUsage('apply')).not.toContain('3 times');
  });

  test('defaults and environment variables are shown beside their options', () => {
    expect(flatUsage('check')).toMatch(/--throwaway <kind> .*?\(default: auto\)/);
    expect(flatUsage('check')).toMatch(/--fail-on <level> .*?\(default: error\)/);
    expect(flatUsage('check')).toMatch(/--server-url <url> .*?\(or MIGRATION_GATE_SERVER_URL\)/);
    expect(flatUsage('status')).toMatch(/--target-url <url> .*?\(or MIGRATION_GATE_TARGET_URL\)/);
  });

  test('every line fits in 96 columns', () => {
    for (const text of [USAGE, ...COMMAND_NAMES.map(commandUsage)]) {
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(96);
    }
  });
});
