import type { SessionLimits } from '../core/parts/target/session-limits.ts';
import type { TransactionMode } from '../core/parts/target/target-run.ts';
import type { TargetThrowawayOptions } from '../core/parts/target/target-throwaway.ts';
import { UsageError } from '../core/model/errors.ts';
import type { RollbackGoal } from '../core/flows/rollback/rollback-target.ts';
import { optional } from '../core/model/optional.ts';
import {
  ALLOW_DRIFT,
  ALLOW_EMPTY,
  BACKUP,
  BACKUP_DIR,
  BACKUP_VERIFY,
  DRY_RUN,
  FAIL_ON_PENDING,
  IMAGE,
  LOCK_TIMEOUT,
  LOCK_WAIT,
  MIGRATION_TABLE,
  MIGRATIONS,
  REQUIRE_REVERSIBLE,
  STATEMENT_TIMEOUT,
  STEPS,
  THROWAWAY,
  TO,
  TRANSACTION,
} from '../core/parts/options/catalogue.ts';
import type { BackupVerifyPlace } from '../core/parts/options/catalogue.ts';
import { readDatabaseOptions, refuseMixedDialects } from '../core/parts/options/database-options.ts';
import type { CommandName } from '../core/parts/options/option.ts';
import { givenValue, optionValue } from '../core/parts/options/read-option.ts';
import type { OptionSource } from '../core/parts/options/read-option.ts';
import { FROM, VERBOSE, outputFormat } from './cli-options.ts';
import type { OutputFormat } from './cli-options.ts';
import { commandLineSource } from './command-line.ts';

/** The commands that work on a target database. */
export type TargetCommand = Exclude<CommandName, 'check'>;

/** The parsed command line of a target command. */
export interface TargetArguments extends Omit<TargetThrowawayOptions, 'logger'> {
  readonly targetUrl: string;
  readonly migrations?: string;
  /** Set when another than Kysely's own is given. */
  readonly migrationTable?: string;
  /** `none`, or the folder the backup goes to. */
  readonly backup?: { readonly none: true } | { readonly dir: string; readonly verifyIn: BackupVerifyPlace };
  readonly allowDrift: boolean;
  /** An empty migrations folder passes. */
  readonly allowEmpty: boolean;
  /** apply, rollback: only plan. */
  readonly dryRun: boolean;
  /** status: a pending migration fails it. */
  readonly failOnPending: boolean;
  readonly requireReversible: boolean;
  /** apply only. */
  readonly transaction?: TransactionMode;
  readonly limits: SessionLimits;
  readonly goal?: RollbackGoal;
  /** apply: the last migration to apply. */
  readonly upTo?: string;
  /** restore: the backup file, its manifest, or a folder holding one backup. */
  readonly from?: string;
  readonly format: OutputFormat;
  readonly verbose: boolean;
}

/** Parses a target command's arguments; throws UsageError on anything it does not understand. */
export function parseTargetArguments(
  command: TargetCommand,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): TargetArguments {
  const source = commandLineSource(command, argv, env);
  const databases = readDatabaseOptions(source);
  refuseMixedDialects(source, databases);
  const { serverUrl, targetUrl } = databases;
  if (targetUrl === undefined)
    throw new UsageError(
      `${command} needs --target-url (or --target-url-file, or MIGRATION_GATE_TARGET_URL)`,
    );
  return {
    targetUrl,
    throwaway: optionValue(source, THROWAWAY),
    format: outputFormat(source),
    verbose: optionValue(source, VERBOSE),
    allowDrift: optionValue(source, ALLOW_DRIFT),
    allowEmpty: optionValue(source, ALLOW_EMPTY),
    dryRun: optionValue(source, DRY_RUN),
    failOnPending: optionValue(source, FAIL_ON_PENDING),
    requireReversible: optionValue(source, REQUIRE_REVERSIBLE),
    limits: {
      ...optional('lockTimeoutMs', optionValue(source, LOCK_TIMEOUT)),
      lockWaitMs: optionValue(source, LOCK_WAIT),
      ...optional('statementTimeoutMs', optionValue(source, STATEMENT_TIMEOUT)),
    },
    ...optional('migrations', optionValue(source, MIGRATIONS)),
    ...optional('migrationTable', givenValue(source, MIGRATION_TABLE)),
    ...optional('serverUrl', serverUrl),
    ...optional('image', optionValue(source, IMAGE)),
    ...optional('backup', backupChoice(command, source)),
    ...optional('goal', command === 'rollback' ? rollbackGoal(source) : undefined),
    ...optional('upTo', command === 'apply' ? optionValue(source, TO) : undefined),
    ...optional('from', command === 'restore' ? restoreFrom(source) : undefined),
    ...optional('transaction', optionValue(source, TRANSACTION)),
  };
}

/**
 * A change needs a verified backup under `--backup-dir`, or `--backup none` said explicitly:
 * the command line has no folder to default to (the action has RUNNER_TEMP).
 */
function backupChoice(command: TargetCommand, source: OptionSource): TargetArguments['backup'] {
  if (command === 'status') return undefined;
  const dir = optionValue(source, BACKUP_DIR);
  const verifyIn = optionValue(source, BACKUP_VERIFY);
  if (source.given(BACKUP_VERIFY.name) !== undefined && dir === undefined) {
    throw new UsageError(
      '--backup-verify says where the backup of --backup-dir is verified: give --backup-dir',
    );
  }
  if (optionValue(source, BACKUP) === 'none') {
    if (dir !== undefined) throw new UsageError('give --backup none or --backup-dir, not both');
    return { none: true };
  }
  if (dir !== undefined) return { dir, verifyIn };
  throw new UsageError(
    `${command} changes the target: give --backup-dir <dir>, or --backup none to go without`,
  );
}

function restoreFrom(source: OptionSource): string {
  const path = optionValue(source, FROM);
  if (path === undefined) throw new UsageError('restore needs --from <backup file or folder>');
  return path;
}

function rollbackGoal(source: OptionSource): RollbackGoal {
  const given = [TO, STEPS].filter((option) => source.given(option.name) !== undefined);
  if (given.length === 2) throw new UsageError('give one of --to and --steps, not both');
  if (given.length === 0) throw new UsageError('rollback needs --to <name|0> or --steps <n>');
  const to = optionValue(source, TO);
  return to === undefined ? { steps: optionValue(source, STEPS)! } : { to };
}
