import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PROOF_MODES } from '../core/model/check-result.ts';
import type { ProofMode } from '../core/model/check-result.ts';
import { TRANSACTION_MODES } from '../core/parts/target/target-run.ts';
import type { TransactionMode } from '../core/parts/target/target-run.ts';
import { parseConnectionUrl } from '../core/parts/database/connection-url.ts';
import type { DialectName } from '../core/model/dialect.ts';
import { UsageError, messageOf } from '../core/model/errors.ts';
import { THROWAWAY_KINDS } from '../core/parts/throwaway/throwaway.ts';
import type { ThrowawayKind } from '../core/parts/throwaway/throwaway.ts';
import { optional } from '../core/model/optional.ts';

/**
 * The action's commands: `check` proves, `status` reads a target, `apply` and `rollback` (with
 * `restore`, its way back from a backup) change one.
 */
export const COMMANDS = ['check', 'apply', 'rollback', 'status'] as const;
export type Command = (typeof COMMANDS)[number];

/**
 * When the step fails. `error`: a migration fails the proof, a merged migration fails to replay,
 * the history is edited, or a risk of severity error is not acknowledged. `warning`: also an
 * unacknowledged warning. `never`: report only.
 */
export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Whether a change waits for a verified backup, or goes without, said explicitly. */
export const BACKUP_MODES = ['verified', 'none'] as const;
export type BackupMode = (typeof BACKUP_MODES)[number];

/**
 * Where a backup is restored to be verified: a scratch database on the target's own server
 * (its user needs CREATE DATABASE), or a container of the target's version (needs Docker).
 */
export const BACKUP_VERIFY_PLACES = ['server', 'container'] as const;
export type BackupVerifyPlace = (typeof BACKUP_VERIFY_PLACES)[number];

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
  readonly statementTimeoutMs?: number;
  /** Set for `rollback` only. */
  readonly rollback?: RollbackInput;
}

/** The action's inputs, validated. */
export interface ActionInputs {
  readonly command: Command;
  readonly migrations?: string;
  readonly dialect?: DialectName;
  readonly mode: ProofMode;
  readonly throwaway: ThrowawayKind;
  readonly image?: string;
  readonly serverUrl?: string;
  readonly targetUrl?: string;
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

/**
 * Reads and validates every input at once, before any database work, so a typo fails the step
 * in a moment with a message naming the input. Relative paths start at `workspace`.
 */
export async function readInputs(read: InputReader, workspace: string): Promise<ActionInputs> {
  const value = (name: string) => read(name).trim() || undefined;
  const given = value('command');
  if (given === undefined) {
    throw new UsageError(`input command is required: one of ${COMMANDS.join(', ')}`);
  }
  const command = oneOf('command', given, COMMANDS);
  const dialect = parseDialect(value('dialect'));
  const serverUrl = value('server-url');
  const targetUrl = value('target-url');
  checkUrl('server-url', serverUrl, dialect);
  checkUrl('target-url', targetUrl, dialect);
  const workingDirectory = resolve(workspace, value('working-directory') ?? '.');
  if (!(await stat(workingDirectory).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(`input working-directory: ${workingDirectory} is not a directory`);
  }
  const target = readTargetInputs(command, value, workingDirectory, dialect);
  return {
    command,
    mode: oneOf('mode', value('mode') ?? 'step', PROOF_MODES),
    throwaway: oneOf('throwaway', value('throwaway') ?? 'auto', THROWAWAY_KINDS),
    failOn: oneOf('fail-on', value('fail-on') ?? 'error', FAIL_ON),
    comment: parseBoolean('comment', value('comment') ?? 'true'),
    workingDirectory,
    ...optional('migrations', value('migrations')),
    ...optional('dialect', dialect),
    ...optional('image', value('image')),
    ...optional('serverUrl', serverUrl),
    ...optional('targetUrl', targetUrl),
    ...optional('migrationTable', value('migration-table')),
    ...optional('githubToken', value('github-token')),
    ...optional('target', target),
  };
}

/** At most this many targets at once: each holds connections, a throwaway and a backup run. */
const MAX_PARALLEL = 16;

/**
 * The target commands' inputs; for `check`, a check that none of them was given, so that a
 * `to:` or `targets:` meant for another step does not pass silently.
 */
function readTargetInputs(
  command: Command,
  value: (name: string) => string | undefined,
  workingDirectory: string,
  dialect: DialectName | undefined,
): TargetInputs | undefined {
  const only = (name: string, commands: readonly Command[]) => {
    if (value(name) !== undefined && !commands.includes(command)) {
      throw new UsageError(`input ${name} is for command ${commands.join(' or ')}, not ${command}`);
    }
  };
  // Inputs with a default in action.yml always arrive, so only those without one are checked.
  for (const name of ['to', 'steps', 'restore']) only(name, ['rollback']);
  for (const name of [
    'backup-dir',
    'backup-artifact',
    'backup-retention-days',
    'backup-verify',
    'lock-timeout',
    'statement-timeout',
  ]) {
    only(name, ['apply', 'rollback']);
  }
  only('targets', ['apply', 'rollback', 'status']);
  only('transaction', ['apply']);
  if (command === 'check') return undefined;

  const urls = targetUrls(value('target-url'), value('targets'), command, dialect);
  const backupDir = value('backup-dir');
  const backup = oneOf('backup', value('backup') ?? 'verified', BACKUP_MODES);
  const backupArtifact = backupArtifactName(value('backup-artifact'), backup);
  const retention = value('backup-retention-days');
  if (retention !== undefined && backupArtifact === undefined) {
    throw new UsageError('input backup-retention-days needs input backup-artifact');
  }
  const lockTimeoutMs = duration('lock-timeout', value('lock-timeout'));
  const statementTimeoutMs = duration('statement-timeout', value('statement-timeout'));
  const rollback = command === 'rollback' ? rollbackInput(value) : undefined;
  const given = value('transaction');
  const transaction = given === undefined ? undefined : oneOf('transaction', given, TRANSACTION_MODES);
  return {
    urls,
    parallel: wholeNumber('parallel', value('parallel') ?? '4', 1, MAX_PARALLEL),
    allowDrift: parseBoolean('allow-drift', value('allow-drift') ?? 'false'),
    requireReversible: parseBoolean('require-reversible', value('require-reversible') ?? 'true'),
    backup,
    backupVerify: oneOf('backup-verify', value('backup-verify') ?? 'server', BACKUP_VERIFY_PLACES),
    ...optional('backupDir', backupDir === undefined ? undefined : resolve(workingDirectory, backupDir)),
    ...optional('backupArtifact', backupArtifact),
    ...optional(
      'backupRetentionDays',
      retention === undefined ? undefined : wholeNumber('backup-retention-days', retention, 1, 90),
    ),
    ...optional('transaction', transaction),
    ...optional('lockTimeoutMs', lockTimeoutMs),
    ...optional('statementTimeoutMs', statementTimeoutMs),
    ...optional('rollback', rollback),
  };
}

/** One URL from `target-url`, or one per line of `targets` (blank lines and `#` comments skipped). */
function targetUrls(
  targetUrl: string | undefined,
  targets: string | undefined,
  command: Command,
  dialect: DialectName | undefined,
): string[] {
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
  urls.forEach((url, index) =>
    checkUrl(targets === undefined ? 'target-url' : `targets (entry ${index + 1})`, url, dialect),
  );
  return urls;
}

/** Exactly one of `to`, `steps` and `restore`, as a workflow_dispatch form fills one of them. */
function rollbackInput(value: (name: string) => string | undefined): RollbackInput {
  const to = value('to');
  const steps = value('steps');
  const restore = value('restore');
  const given = [to, steps, restore].filter((input) => input !== undefined).length;
  if (given !== 1) {
    throw new UsageError(
      `command rollback needs exactly one of the inputs to (a migration name, or 0 for none), steps or restore; ${given} given`,
    );
  }
  if (to !== undefined) return { to };
  if (steps !== undefined) return { steps: wholeNumber('steps', steps, 1, Number.MAX_SAFE_INTEGER) };
  return { restore: restore! };
}

/**
 * The `backup-artifact` name, checked before any database changes: the characters the
 * artifact service refuses, and `backup: none` (nothing to upload).
 */
function backupArtifactName(name: string | undefined, backup: BackupMode): string | undefined {
  if (name === undefined) return undefined;
  if (backup === 'none') throw new UsageError('input backup-artifact needs backup: verified, not none');
  if (/[":<>|*?\r\n\\/]/.test(name)) {
    throw new UsageError(
      `input backup-artifact: ${name} is not a valid artifact name (no " : < > | * ? \\ / or line breaks)`,
    );
  }
  return name;
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`input ${name} must be a whole number from ${min} to ${max}, not ${value}`);
  }
  return number;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000 };

/** `5000`, `5000ms`, `5s` or `2min` as milliseconds: a bare number is milliseconds. */
function duration(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\s*(ms|s|m|min)?$/.exec(value);
  const ms = match === null ? Number.NaN : Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new UsageError(`input ${name} must be a duration such as 5000 (ms), 5s or 2min, not ${value}`);
  }
  return ms;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`input ${name} must be one of ${allowed.join(', ')}, not ${value}`);
}

/** YAML 1.2's booleans, as @actions/core's getBooleanInput reads them. */
function parseBoolean(name: string, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UsageError(`input ${name} must be true or false, not ${value}`);
}

function parseDialect(value: string | undefined): DialectName | undefined {
  if (value === undefined) return undefined;
  const normalized = value.toLowerCase();
  if (['postgres', 'postgresql', 'pg'].includes(normalized)) return 'postgres';
  if (['mysql', 'mariadb'].includes(normalized)) return 'mysql';
  throw new UsageError(`input dialect must be postgres or mysql (mariadb), not ${value}`);
}

/** A malformed URL or one of the other dialect fails here, not after a container started. */
function checkUrl(name: string, url: string | undefined, dialect: DialectName | undefined): void {
  if (url === undefined) return;
  let parsed;
  try {
    parsed = parseConnectionUrl(url);
  } catch (error) {
    // The parser's messages are redacted already.
    throw new UsageError(`input ${name}: ${messageOf(error)}`);
  }
  if (dialect !== undefined && parsed.dialect !== dialect) {
    throw new UsageError(
      `input ${name} is a ${parsed.dialect} URL (${parsed.display}) but dialect is ${dialect}`,
    );
  }
}
