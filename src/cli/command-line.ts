import { parseArgs } from 'node:util';
import { UsageError } from '../core/model/errors.ts';
import { COMMAND_NAMES } from '../core/parts/options/option.ts';
import type { CommandName } from '../core/parts/options/option.ts';
import { refuseOutsideCommand } from '../core/parts/options/read-option.ts';
import type { OptionSource } from '../core/parts/options/read-option.ts';
import { CLI_OPTIONS, ENVIRONMENT_FALLBACKS } from './cli-options.ts';

/**
 * A command's arguments as the option catalogue reads them: `--name value`, a switch as
 * `true`, an empty value (`--server-url ""` from an unset variable) as not given, then the
 * environment fallbacks. Every command's options are known, so one meant for another command
 * is refused by name, not as unknown.
 */
export function commandLineSource(
  command: CommandName,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): OptionSource {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        CLI_OPTIONS.map((option) => [
          option.name,
          { type: option.placeholder === undefined ? ('boolean' as const) : ('string' as const) },
        ]),
      ),
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const argument = (name: string): string | undefined => {
    const value = values[name];
    if (value === true) return 'true';
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  // Only the command line counts here: MIGRATION_GATE_SERVER_URL set for check is no error in restore.
  refuseOutsideCommand(
    { given: argument, label: (name) => `--${name}` },
    CLI_OPTIONS,
    command,
    COMMAND_NAMES,
  );
  const fromEnvironment = (name: string): string | undefined => {
    const variable = ENVIRONMENT_FALLBACKS[name];
    const value = variable === undefined ? undefined : env[variable];
    return value === '' ? undefined : value;
  };
  return {
    given: (name) => argument(name) ?? fromEnvironment(name),
    label: (name) =>
      argument(name) === undefined && fromEnvironment(name) !== undefined
        ? ENVIRONMENT_FALLBACKS[name]!
        : `--${name}`,
  };
}
