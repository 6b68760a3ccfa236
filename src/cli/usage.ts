import { describeAmong } from '../core/parts/options/describe-option.ts';
import { COMMAND_NAMES } from '../core/parts/options/option.ts';
import type { CommandName, Option } from '../core/parts/options/option.ts';
import { CLI_OPTIONS, ENVIRONMENT_FALLBACKS } from './cli-options.ts';

/** Where --help wraps. */
const WIDTH = 96;

/** What each command is for: its line in the overview, then its own help's synopsis and text. */
const COMMANDS: Readonly<Record<CommandName, { line: string; synopsis: string; about: string }>> = {
  check: {
    line: 'prove migrations reversible on a throwaway database and judge their risks',
    synopsis: '[options]',
    about:
      'Proves every migration reversible on a throwaway database: up, down, up again, compared by schema snapshot. Judges the risk of each statement on a real database (locks, rewrites, data loss). With --target-url, also reads that database: what is pending there, and whether it drifted.',
  },
  apply: {
    line: 'apply the pending migrations to a target, behind guards and a verified backup',
    synopsis: '--target-url <url> --backup-dir <dir> [options]',
    about:
      "Refuses an edited or drifted target, proves the pending migrations reversible on a throwaway, takes a verified backup, then applies them one at a time under Kysely's migration lock. Changes the target only behind a verified backup under --backup-dir, or with --backup none said explicitly.",
  },
  status: {
    line: 'what a target has: applied, pending, edited and drifted migrations (reads only)',
    synopsis: '--target-url <url> [options]',
    about:
      "Reads the target's migration table and schema: applied, pending, edited (against the checksums apply keeps) and drifted (against its applied migrations replayed on a throwaway). Changes nothing.",
  },
  rollback: {
    line: 'run downs on a target back to a migration, rehearsed on a throwaway first',
    synopsis: '--target-url <url> --to <name|0>|--steps <n> [options]',
    about:
      'Runs the downs back to --to <name> (0: all) or by --steps <n>, newest first, after rehearsing them on a throwaway, behind a verified backup (or --backup none said explicitly).',
  },
  restore: {
    line: 'put a backup back into a target, after taking a fresh verified backup of it',
    synopsis: '--target-url <url> --from <path> --backup-dir <dir> [options]',
    about:
      "Restores the backup --from names into the target, after checking its sha256 and engine and taking a fresh verified backup of the target; then compares schema and row counts with the backup's manifest.",
  },
  new: {
    line: "write a new migration with an up and a down, named in the folder's style",
    synopsis: '<name> [options]',
    about:
      "Writes a new migration with an up and a down into the migrations folder, named in the folder's style so it sorts last (a timestamp in the shape of the newest migration's, the next number, or kysely-ctl's in an empty folder). A name the folder has already is refused.",
  },
};

/** The overview `migration-gate --help` prints: every command in a line. */
export const USAGE = `usage: migration-gate <command> [options]

commands:
${COMMAND_NAMES.map((command) => `  ${command.padEnd(10)}${COMMANDS[command].line}`).join('\n')}

migration-gate help <command> (or <command> --help): its options. --version: the version.

exit codes: 0 passed or done, 1 the check failed (see --fail-on) or a change was refused or
failed, 2 usage or environment error.`;

/** The help of one command: what it does, then every option it takes. */
export function commandUsage(command: CommandName): string {
  const { synopsis, about } = COMMANDS[command];
  return `usage: migration-gate ${command} ${synopsis}

${wrap(about, WIDTH).join('\n')}

options:
${optionLines(command)}`;
}

/** One entry per option `command` takes, its description wrapped beside its name. */
function optionLines(command: CommandName): string {
  const options = CLI_OPTIONS.filter((option) => option.commands.includes(command));
  const names = options.map((option) =>
    option.placeholder === undefined ? `--${option.name}` : `--${option.name} ${option.placeholder}`,
  );
  const indent = 2 + Math.max(...names.map((name) => name.length)) + 2;
  return options
    .map((option, index) =>
      wrap(helpText(option, command), WIDTH - indent)
        .map((line, row) => (row === 0 ? `  ${names[index]!}`.padEnd(indent) : ' '.repeat(indent)) + line)
        .join('\n'),
    )
    .join('\n');
}

/** The description, with the environment variable read instead and the default of a valued option. */
function helpText(option: Option<unknown>, command: CommandName): string {
  const variable = ENVIRONMENT_FALLBACKS[option.name];
  // A switch is off unless named: its default says nothing.
  const shownDefault = option.placeholder === undefined ? undefined : option.default;
  return [
    describeAmong(option, [command]),
    ...(variable === undefined ? [] : [`(or ${variable})`]),
    ...(shownDefault === undefined ? [] : [`(default: ${shownDefault})`]),
  ].join(' ');
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}
