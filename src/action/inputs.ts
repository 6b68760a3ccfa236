import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PROOF_MODES } from '../core/check/result.ts';
import type { ProofMode } from '../core/check/result.ts';
import { parseConnectionUrl } from '../core/database/connection-url.ts';
import type { DialectName } from '../core/dialect.ts';
import { UsageError, messageOf } from '../core/errors.ts';
import { THROWAWAY_KINDS } from '../core/throwaway/throwaway.ts';
import type { ThrowawayKind } from '../core/throwaway/throwaway.ts';

/** The action's commands. Only `check` is available in this version. */
export const COMMANDS = ['check', 'apply', 'rollback', 'status'] as const;
export type Command = (typeof COMMANDS)[number];

/**
 * When the step fails. `error`: a migration fails the proof, a merged migration fails to replay,
 * the history is edited, or a risk of severity error is not acknowledged. `warning`: also an
 * unacknowledged warning. `never`: report only.
 */
export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

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
  };
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

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
