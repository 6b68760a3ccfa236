import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../core/model/errors.ts';
import { COMMAND_NAMES } from '../core/parts/options/option.ts';
import type { CommandName } from '../core/parts/options/option.ts';
import { refuseOutsideCommand } from '../core/parts/options/read-option.ts';
import type { OptionSource } from '../core/parts/options/read-option.ts';
import { CLI_OPTIONS, ENVIRONMENT_FALLBACKS, FILE_FALLBACKS } from './cli-options.ts';

/**
 * A command's arguments as the option catalogue reads them: `--name value`, a switch as
 * `true`, an empty value (`--server-url ""` from an unset variable) as not given, then the
 * file fallbacks (`--target-url-file`), then the environment fallbacks. Every command's options are known, so one meant for another command
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
      args: withDashValues(argv),
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
  const fileOf = (name: string): string | undefined => {
    const fileOption = FILE_FALLBACKS[name];
    const path = fileOption === undefined ? undefined : argument(fileOption);
    if (path === undefined) return undefined;
    return path;
  };
  for (const [name, fileOption] of Object.entries(FILE_FALLBACKS)) {
    if (argument(name) !== undefined && argument(fileOption) !== undefined)
      throw new UsageError(`give --${name} or --${fileOption}, not both`);
  }
  const files = new Map<string, string>();
  const fromFile = (name: string): string | undefined => {
    const path = fileOf(name);
    if (path === undefined) return undefined;
    if (!files.has(name)) files.set(name, readFirstLine(path, `--${FILE_FALLBACKS[name]!}`));
    return files.get(name);
  };
  const fromEnvironment = (name: string): string | undefined => {
    const variable = ENVIRONMENT_FALLBACKS[name];
    const value = variable === undefined ? undefined : env[variable];
    return value === '' ? undefined : value;
  };
  return {
    given: (name) => argument(name) ?? fromFile(name) ?? fromEnvironment(name),
    label: (name) => {
      if (argument(name) !== undefined) return `--${name}`;
      if (fileOf(name) !== undefined) return `--${FILE_FALLBACKS[name]!}`;
      return fromEnvironment(name) === undefined ? `--${name}` : ENVIRONMENT_FALLBACKS[name]!;
    },
  };
}

/**
 * The first line of the file at `path` (relative to the working directory), trimmed: a file
 * written by `echo` ends in a newline the URL does not have. Errors name the option and the
 * file, never the content.
 */
function readFirstLine(path: string, label: string): string {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`${label}: cannot read ${path} (${code})`, { file: path });
  }
  const line = text.split(/\r?\n/, 1)[0]!.trim();
  if (line === '') throw new UsageError(`${label}: ${path} is empty`, { file: path });
  return line;
}

/**
 * `--steps -1` as `--steps=-1`, so its value is judged by the option (a whole number from 1)
 * instead of parseArgs calling it ambiguous; a value that is another option (`--target-url
 * --json`) is a missing value, said so.
 */
function withDashValues(argv: readonly string[]): string[] {
  const takesValue = new Set(
    CLI_OPTIONS.filter((option) => option.placeholder !== undefined).map((o) => o.name),
  );
  const isOption = (token: string) =>
    CLI_OPTIONS.some((option) => token === `--${option.name}` || token.startsWith(`--${option.name}=`));
  const args: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    const next = argv[index + 1];
    if (token.startsWith('--') && takesValue.has(token.slice(2)) && next?.startsWith('-') === true) {
      if (isOption(next)) throw new UsageError(`${token} needs a value, but ${next} follows it`);
      args.push(`${token}=${next}`);
      index++;
    } else {
      args.push(token);
    }
  }
  return args;
}
