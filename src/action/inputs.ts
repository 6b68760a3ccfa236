import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ProofMode } from '../core/model/check-result.ts';
import type { TransactionMode } from '../core/parts/target/target-run.ts';
import type { DialectName } from '../core/model/dialect.ts';
import { UsageError } from '../core/model/errors.ts';
import type { ThrowawayKind } from '../core/parts/throwaway/throwaway.ts';
import { optional } from '../core/model/optional.ts';
import {
  ALLOW_DRIFT,
  ALLOW_EMPTY,
  BACKUP,
  BACKUP_DIR,
  BACKUP_VERIFY,
  FAIL_ON_OPTION,
  DRY_RUN,
  FAIL_ON_PENDING,
  IMAGE,
  LOCK_TIMEOUT,
  LOCK_WAIT,
  MIGRATION_TABLE,
  MIGRATIONS,
  MODE,
  MERGED_CACHE,
  SEED,
  SEED_ROWS,
  REQUIRE_REVERSIBLE,
  STATEMENT_TIMEOUT,
  STEPS,
  THROWAWAY,
  TO,
  TRANSACTION,
} from '../core/parts/options/catalogue.ts';
import type { BackupMode, BackupVerifyPlace } from '../core/parts/options/catalogue.ts';
import { givenValue, optionValue, refuseOutsideCommand } from '../core/parts/options/read-option.ts';
import type { OptionSource } from '../core/parts/options/read-option.ts';
import {
  readDatabaseOptions,
  refuseMixedDialects,
  refuseOtherDialect,
} from '../core/parts/options/database-options.ts';
import { connectionUrl } from '../core/parts/options/value-parsers.ts';
import {
  ACTION_INPUTS,
  BACKUP_ARTIFACT,
  BACKUP_RETENTION_DAYS,
  COMMAND,
  COMMANDS,
  COMMENT,
  GITHUB_TOKEN,
  PARALLEL,
  RESTORE,
  TARGETS,
  WORKING_DIRECTORY,
} from './input-catalogue.ts';
import type { Command } from './input-catalogue.ts';
import type { FailOn } from '../core/model/fail-on.ts';

/** What a `rollback` step does: run downs to a name or by steps, or restore a backup. */
export type RollbackInput =
  { readonly to: string } | { readonly steps: number } | { readonly restore: string };

/** The inputs of the commands that work on target databases. */
export interface TargetInputs {
  /** Database URLs, from `target-url` or the lines of `targets`; credentials included. */
  readonly urls: readonly string[];
  /** How many targets are worked on at once. */
  readonly parallel: number;
  readonly allowDrift: boolean;
  /** apply, rollback: only plan. */
  readonly dryRun: boolean;
  /** status: a pending migration fails it. */
  readonly failOnPending: boolean;
  readonly requireReversible: boolean;
  /** apply: one transaction per migration, or one for the run. */
  readonly transaction?: TransactionMode;
  readonly backup: BackupMode;
  readonly backupVerify: BackupVerifyPlace;
  /** Absolute; undefined: a folder under RUNNER_TEMP. */
  readonly backupDir?: string;
  /** Upload each backup as a workflow artifact of this name (with many targets, `<name>-target-N`). */
  readonly backupArtifact?: string;
  /** How long that artifact is kept, 1 to 90 days; undefined: the repository's setting. */
  readonly backupRetentionDays?: number;
  readonly lockTimeoutMs?: number;
  /** How long to wait for Kysely's migration lock another session holds. */
  readonly lockWaitMs: number;
  readonly statementTimeoutMs?: number;
  /** Set for `rollback` only. */
  readonly rollback?: RollbackInput;
  /** apply: the last migration to apply. */
  readonly applyTo?: string;
}

/** The action's inputs, validated. */
export interface ActionInputs {
  readonly command: Command;
  readonly migrations?: string;
  readonly dialect?: DialectName;
  readonly mode: ProofMode;
  /** An empty migrations folder passes. */
  readonly allowEmpty: boolean;
  /** check: the data-aware proof (rows in the tables). */
  readonly seedRows: boolean;
  /** check: the merged history's state from the cache instead of a replay. */
  readonly mergedCache: boolean;
  /** check: the project's own rows, relative to working-directory. */
  readonly seed?: string;
  readonly throwaway: ThrowawayKind;
  readonly image?: string;
  readonly serverUrl?: string;
  readonly targetUrl?: string;
  /** Set when another than Kysely's own is given. */
  readonly migrationTable?: string;
  readonly githubToken?: string;
  readonly comment: boolean;
  readonly failOn: FailOn;
  /** Absolute. */
  readonly workingDirectory: string;
  /** Set for apply, rollback and status. */
  readonly target?: TargetInputs;
}

/** Reads an input by its name in action.yml; `''` when unset, like @actions/core's getInput. */
export type InputReader = (name: string) => string;

const DEFAULTS: ReadonlyMap<string, string | undefined> = new Map(
  ACTION_INPUTS.map((input) => [input.name, input.default]),
);

/**
 * The inputs as the option catalogue reads them. action.yml's defaults arrive as if given, so
 * an input equal to its default counts as not given: only a value someone chose is refused
 * with a command that does not take it.
 */
function inputSource(read: InputReader): OptionSource {
  return {
    given: (name) => {
      const text = read(name).trim();
      return text === '' || text === DEFAULTS.get(name) ? undefined : text;
    },
    label: (name) => `input ${name}`,
  };
}

/**
 * Reads and validates every input at once, before any database work, so a typo fails the step
 * in a moment with a message naming the input. Relative paths start at `workspace`.
 */
export async function readInputs(read: InputReader, workspace: string): Promise<ActionInputs> {
  const source = inputSource(read);
  const given = source.given(COMMAND.name);
  if (given === undefined) {
    throw new UsageError(`input command is required: one of ${COMMANDS.join(', ')}`);
  }
  const command = COMMAND.parse(given, source.label(COMMAND.name));
  const databases = readDatabaseOptions(source);
  refuseMixedDialects(source, databases);
  const { dialect, serverUrl, targetUrl } = databases;
  const workingDirectory = resolve(workspace, optionValue(source, WORKING_DIRECTORY));
  if (!(await stat(workingDirectory).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`input working-directory: ${workingDirectory} is not a directory`);
  }
  // A `to:` or `targets:` meant for another step must not pass silently.
  refuseOutsideCommand(source, ACTION_INPUTS, command, COMMANDS);
  const target =
    command === 'check' || command === 'comment'
      ? undefined
      : readTargetInputs(command, source, { workingDirectory, targetUrl, dialect });
  return {
    command,
    mode: optionValue(source, MODE),
    allowEmpty: optionValue(source, ALLOW_EMPTY),
    seedRows: optionValue(source, SEED_ROWS),
    mergedCache: optionValue(source, MERGED_CACHE),
    throwaway: optionValue(source, THROWAWAY),
    failOn: optionValue(source, FAIL_ON_OPTION),
    comment: optionValue(source, COMMENT),
    workingDirectory,
    ...optional('migrations', optionValue(source, MIGRATIONS)),
    ...optional('seed', optionValue(source, SEED)),
    ...optional('dialect', dialect),
    ...optional('image', optionValue(source, IMAGE)),
    ...optional('serverUrl', serverUrl),
    ...optional('targetUrl', targetUrl),
    ...optional('migrationTable', givenValue(source, MIGRATION_TABLE)),
    ...optional('githubToken', givenValue(source, GITHUB_TOKEN)),
    ...optional('target', target),
  };
}

/** The inputs of apply, rollback and status. */
function readTargetInputs(
  command: Exclude<Command, 'check' | 'comment'>,
  source: OptionSource,
  context: { workingDirectory: string; targetUrl: string | undefined; dialect: DialectName | undefined },
): TargetInputs {
  const { workingDirectory, targetUrl, dialect } = context;
  const urls = targetUrls(source, targetUrl, command, dialect);
  const backupDir = optionValue(source, BACKUP_DIR);
  const backup = optionValue(source, BACKUP);
  const backupArtifact = optionValue(source, BACKUP_ARTIFACT);
  if (backupArtifact !== undefined && backup === 'none') {
    throw new UsageError('input backup-artifact needs backup: verified, not none');
  }
  if (source.given(BACKUP_RETENTION_DAYS.name) !== undefined && backupArtifact === undefined) {
    throw new UsageError('input backup-retention-days needs input backup-artifact');
  }
  return {
    urls,
    parallel: optionValue(source, PARALLEL),
    allowDrift: optionValue(source, ALLOW_DRIFT),
    dryRun: optionValue(source, DRY_RUN),
    failOnPending: optionValue(source, FAIL_ON_PENDING),
    requireReversible: optionValue(source, REQUIRE_REVERSIBLE),
    backup,
    backupVerify: optionValue(source, BACKUP_VERIFY),
    ...optional('backupDir', backupDir === undefined ? undefined : resolve(workingDirectory, backupDir)),
    ...optional('backupArtifact', backupArtifact),
    ...optional('backupRetentionDays', optionValue(source, BACKUP_RETENTION_DAYS)),
    ...optional('transaction', optionValue(source, TRANSACTION)),
    ...optional('lockTimeoutMs', optionValue(source, LOCK_TIMEOUT)),
    lockWaitMs: optionValue(source, LOCK_WAIT),
    ...optional('statementTimeoutMs', optionValue(source, STATEMENT_TIMEOUT)),
    ...optional('rollback', command === 'rollback' ? rollbackInput(source) : undefined),
    ...optional('applyTo', command === 'apply' ? optionValue(source, TO) : undefined),
  };
}

/** One URL from `target-url`, or one per line of `targets` (blank lines and `#` comments skipped). */
function targetUrls(
  source: OptionSource,
  targetUrl: string | undefined,
  command: Command,
  dialect: DialectName | undefined,
): string[] {
  const targets = optionValue(source, TARGETS);
  if (targetUrl !== undefined && targets !== undefined) {
    throw new UsageError('give input target-url or input targets, not both');
  }
  const urls =
    targets === undefined
      ? [targetUrl].filter((url): url is string => url !== undefined)
      : targets
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.startsWith('#'));
  if (urls.length === 0) {
    throw new UsageError(`command ${command} needs input target-url (or targets), from a secret`);
  }
  // target-url was checked with the other inputs; each line of targets is checked here.
  if (targets !== undefined) {
    urls.forEach((url, index) => {
      const label = `${source.label(TARGETS.name)} (entry ${index + 1})`;
      refuseOtherDialect(label, connectionUrl(url, label), dialect);
    });
  }
  return urls;
}

/** Exactly one of `to`, `steps` and `restore`, as a workflow_dispatch form fills one of them. */
function rollbackInput(source: OptionSource): RollbackInput {
  const given = [TO, STEPS, RESTORE].filter((input) => source.given(input.name) !== undefined).length;
  if (given !== 1) {
    throw new UsageError(
      `command rollback needs exactly one of the inputs to (a migration name, or 0 for none), steps or restore; ${given} given`,
    );
  }
  const to = optionValue(source, TO);
  if (to !== undefined) return { to };
  const steps = optionValue(source, STEPS);
  if (steps !== undefined) return { steps };
  return { restore: optionValue(source, RESTORE)! };
}
