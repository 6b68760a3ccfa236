import { describeAmong } from '../core/parts/options/describe-option.ts';
import type { CommandName, Option } from '../core/parts/options/option.ts';
import { CLI_OPTIONS, ENVIRONMENT_FALLBACKS } from './cli-options.ts';

/** Where --help wraps. */
const WIDTH = 96;

/** The usage text printed by `--help` and after a usage error. */
export const USAGE = `usage: migration-gate check [options]

Proves every migration reversible on a throwaway database: up, down, up again, compared
by schema snapshot.

options:
${optionLines(['check'])}

exit codes: 0 every migration reversible or declared irreversible, 1 a migration failed the
proof, 2 usage or environment error.`;

/** Usage of `apply`, `status`, `rollback` and `restore`. */
export const TARGET_USAGE = `usage: migration-gate apply|status|rollback|restore --target-url <url> [options]

apply     refuses an edited or drifted target, proves pending migrations reversible on a
          throwaway, takes a backup, then applies them one at a time with Kysely's Migrator
status    applied, pending, edited and drifted migrations of the target (only reads it)
rollback  runs the downs back to --to <name> (0: all) or --steps <n>, rehearsed on a
          throwaway first, behind a backup
restore   restores the backup --from <path> into the target, after taking a fresh verified
          backup of it (the backup's sha256 and engine are checked first)

apply, rollback and restore change the target only behind a verified backup under
--backup-dir <dir>, or with --backup none said explicitly.

options:
${optionLines(['apply', 'status', 'rollback', 'restore'])}

exit codes: 0 done (status: nothing wrong), 1 refused or failed, 2 usage or environment error.`;

/** Usage of `new`. */
export const NEW_USAGE = `usage: migration-gate new <name> [options]

Writes a new migration with an up and a down into the migrations folder, named in the
folder's style so it sorts last (a timestamp in the shape of the newest migration's, the next
number, or kysely-ctl's in an empty folder). A name the folder has already is refused.

options:
${optionLines(['new'])}

exit codes: 0 written, 2 usage error (a name taken, a folder that is a file).`;

/** One entry per option any of `commands` takes, its description wrapped beside its name. */
function optionLines(commands: readonly CommandName[]): string {
  const options = CLI_OPTIONS.filter((option) =>
    option.commands.some((command) => commands.includes(command)),
  );
  const names = options.map((option) =>
    option.placeholder === undefined ? `--${option.name}` : `--${option.name} ${option.placeholder}`,
  );
  const indent = 2 + Math.max(...names.map((name) => name.length)) + 2;
  return options
    .map((option, index) =>
      wrap(helpText(option, commands), WIDTH - indent)
        .map((line, row) => (row === 0 ? `  ${names[index]!}`.padEnd(indent) : ' '.repeat(indent)) + line)
        .join('\n'),
    )
    .join('\n');
}

/** The description, with the environment variable read instead and the default of a valued option. */
function helpText(option: Option<unknown>, commands: readonly CommandName[]): string {
  const variable = ENVIRONMENT_FALLBACKS[option.name];
  // A switch is off unless named: its default says nothing.
  const shownDefault = option.placeholder === undefined ? undefined : option.default;
  return [
    describeAmong(option, commands),
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
