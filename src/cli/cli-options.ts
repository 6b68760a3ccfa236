import {
  ALLOW_DRIFT,
  ALLOW_EMPTY,
  BACKUP,
  BACKUP_DIR,
  BACKUP_VERIFY,
  DIALECT,
  FAIL_ON_OPTION,
  DRY_RUN,
  FAIL_ON_PENDING,
  IMAGE,
  LOCK_TIMEOUT,
  LOCK_WAIT,
  MERGED_CACHE,
  MIGRATION_TABLE,
  MIGRATIONS,
  MODE,
  SEED,
  SEED_ROWS,
  REQUIRE_REVERSIBLE,
  SERVER_URL,
  STATEMENT_TIMEOUT,
  STEPS,
  TARGET_URL,
  THROWAWAY,
  TO,
  TRANSACTION,
} from '../core/parts/options/catalogue.ts';
import { COMMAND_NAMES } from '../core/parts/options/option.ts';
import type { DefaultedOption, Option } from '../core/parts/options/option.ts';
import { optionValue } from '../core/parts/options/read-option.ts';
import type { OptionSource } from '../core/parts/options/read-option.ts';
import { anyText, oneOf, trueOrFalse } from '../core/parts/options/value-parsers.ts';

/** Output formats of every command. */
export type OutputFormat = 'text' | 'json' | 'markdown';

const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'markdown'];

// The CLI's own options, defined as the shared ones are (core/parts/options/catalogue.ts).

/** check: prove only what a branch adds (the action takes the pull request's base). */
export const BASE: Option<string> = {
  name: 'base',
  placeholder: '<ref>',
  commands: ['check'],
  description: 'prove only migrations added since this git ref; replay the others once',
  parse: anyText,
};

/** restore: the backup to put back (the action's `restore` input). */
export const FROM: Option<string> = {
  name: 'from',
  placeholder: '<path>',
  commands: ['restore'],
  description:
    'a backup file (its .manifest.json beside it), or a folder holding exactly one backup, such as a downloaded workflow artifact',
  parse: anyText,
};

/** A URL read from a file, so it stays off the command line and out of the shell history. */
function urlFile(url: Option<string>): Option<string> {
  return {
    name: `${url.name}-file`,
    placeholder: '<file>',
    commands: url.commands,
    description: `read --${url.name} from this file (its first line), so the URL and its password stay off the command line`,
    parse: anyText,
  };
}

/** --target-url from a file. */
export const TARGET_URL_FILE = urlFile(TARGET_URL);
/** --server-url from a file. */
export const SERVER_URL_FILE = urlFile(SERVER_URL);

/** new: SQL files instead of a TypeScript module. */
export const SQL: DefaultedOption<boolean> = {
  name: 'sql',
  commands: ['new'],
  default: 'false',
  description:
    "write up and down SQL files, laid out as the folder's SQL migrations are (name.up.sql and name.down.sql, dbmate's name.sql, or name/up.sql), instead of a TypeScript module",
  parse: trueOrFalse,
};

/** What stdout gets. */
const FORMAT: DefaultedOption<OutputFormat> = {
  name: 'format',
  placeholder: '<format>',
  commands: COMMAND_NAMES,
  default: 'text',
  description:
    "text, json or markdown (the pull request comment's report); with json and markdown, progress goes to stderr",
  parse: oneOf(OUTPUT_FORMATS),
};

/** A switch of the CLI's own: off unless named. */
function cliSwitch(name: string, description: string): DefaultedOption<boolean> {
  return { name, commands: COMMAND_NAMES, default: 'false', description, parse: trueOrFalse };
}

/** `--format json`, shorter. */
const JSON_SWITCH = cliSwitch('json', 'same as --format json');
/** Debug output on stderr. */
export const VERBOSE = cliSwitch('verbose', 'print debug output');
/** check: each migration's SQL under its line. */
export const SHOW_SQL: DefaultedOption<boolean> = {
  ...cliSwitch(
    'show-sql',
    "text format: print each migration's SQL (up and down, as run on the throwaway) under its line",
  ),
  commands: ['check'],
};
/** Taken by run.ts before any command parses its arguments. */
const HELP = cliSwitch('help', 'print this help');

/** Every option of the command line, in the order --help lists them. */
export const CLI_OPTIONS: readonly Option<unknown>[] = [
  TARGET_URL,
  TARGET_URL_FILE,
  MIGRATIONS,
  ALLOW_EMPTY,
  DIALECT,
  THROWAWAY,
  SERVER_URL,
  SERVER_URL_FILE,
  IMAGE,
  MODE,
  SEED_ROWS,
  SEED,
  BASE,
  MERGED_CACHE,
  FAIL_ON_OPTION,
  MIGRATION_TABLE,
  BACKUP,
  BACKUP_DIR,
  BACKUP_VERIFY,
  ALLOW_DRIFT,
  DRY_RUN,
  FAIL_ON_PENDING,
  REQUIRE_REVERSIBLE,
  TRANSACTION,
  LOCK_TIMEOUT,
  LOCK_WAIT,
  STATEMENT_TIMEOUT,
  TO,
  STEPS,
  FROM,
  SQL,
  FORMAT,
  JSON_SWITCH,
  SHOW_SQL,
  VERBOSE,
  HELP,
];

/** The environment variables read when an option is not given, so a URL stays off the command line. */
export const ENVIRONMENT_FALLBACKS: Readonly<Record<string, string>> = {
  [SERVER_URL.name]: 'MIGRATION_GATE_SERVER_URL',
  [TARGET_URL.name]: 'MIGRATION_GATE_TARGET_URL',
};

/** The options whose value may come from a file instead, and the option naming that file. */
export const FILE_FALLBACKS: Readonly<Record<string, string>> = {
  [SERVER_URL.name]: SERVER_URL_FILE.name,
  [TARGET_URL.name]: TARGET_URL_FILE.name,
};

/** `--json`, else `--format`. */
export function outputFormat(source: OptionSource): OutputFormat {
  return optionValue(source, JSON_SWITCH) ? 'json' : optionValue(source, FORMAT);
}
