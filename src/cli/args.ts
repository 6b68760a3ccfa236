import type { CheckRequest } from '../core/flows/check/run-check.ts';
import type { FailOn } from '../core/model/fail-on.ts';
import { bookkeepingTables } from '../core/parts/migrations/bookkeeping-tables.ts';
import { optional } from '../core/model/optional.ts';
import {
  ALLOW_EMPTY,
  FAIL_ON_OPTION,
  IMAGE,
  MIGRATION_TABLE,
  MIGRATIONS,
  MODE,
  MERGED_CACHE,
  SEED,
  SEED_ROWS,
  THROWAWAY,
} from '../core/parts/options/catalogue.ts';
import { readDatabaseOptions } from '../core/parts/options/database-options.ts';
import { givenValue, optionValue } from '../core/parts/options/read-option.ts';
import { BASE, SHOW_SQL, VERBOSE, outputFormat } from './cli-options.ts';
import type { OutputFormat } from './cli-options.ts';
import { commandLineSource } from './command-line.ts';

/** `check`'s parsed command line. */
export interface CheckArguments {
  readonly request: Omit<CheckRequest, 'logger' | 'onResult' | 'cwd'>;
  readonly format: OutputFormat;
  /** What fails the command (exit 1). */
  readonly failOn: FailOn;
  readonly verbose: boolean;
  /** Each migration's SQL under its line (text format). */
  readonly showSql: boolean;
}

/** Parses `check`'s arguments; throws UsageError on anything it does not understand. */
export function parseCheckArguments(argv: readonly string[], env: NodeJS.ProcessEnv): CheckArguments {
  const source = commandLineSource('check', argv, env);
  // A mistyped URL is a usage error now, not a note in the report after a whole proof. A server
  // URL of the other dialect is left to the throwaway, which refuses it once the migrations
  // loaded, naming the dialect that won over the kysely config.
  const { dialect, serverUrl, targetUrl } = readDatabaseOptions(source);
  const migrationTable = givenValue(source, MIGRATION_TABLE);
  return {
    format: outputFormat(source),
    failOn: optionValue(source, FAIL_ON_OPTION),
    verbose: optionValue(source, VERBOSE),
    showSql: optionValue(source, SHOW_SQL),
    request: {
      throwaway: optionValue(source, THROWAWAY),
      mode: optionValue(source, MODE),
      allowEmpty: optionValue(source, ALLOW_EMPTY),
      seedRows: optionValue(source, SEED_ROWS),
      mergedCache: optionValue(source, MERGED_CACHE),
      ...optional('seed', optionValue(source, SEED)),
      ...optional('migrations', optionValue(source, MIGRATIONS)),
      ...optional('dialect', dialect),
      ...optional('serverUrl', serverUrl),
      ...optional('image', optionValue(source, IMAGE)),
      ...optional('base', optionValue(source, BASE)),
      ...optional('targetUrl', targetUrl),
      ...optional(
        'migrationTables',
        migrationTable === undefined ? undefined : bookkeepingTables(migrationTable),
      ),
    },
  };
}
