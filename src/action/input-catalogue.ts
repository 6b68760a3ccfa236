import { describeAmong } from '../core/parts/options/describe-option.ts';
import type { DefaultedOption, Option } from '../core/parts/options/option.ts';
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
  MIGRATION_TABLE,
  MIGRATIONS,
  MODE,
  MERGED_CACHE,
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
import { UsageError } from '../core/model/errors.ts';
import { anyText, oneOf, trueOrFalse, wholeNumber } from '../core/parts/options/value-parsers.ts';
import type { ValueParser } from '../core/parts/options/value-parsers.ts';

/**
 * The action's commands: `check` proves, `status` reads a target, `apply` and `rollback` (with
 * `restore`, its way back from a backup) change one, and `comment` posts a check's report from
 * its artifact (the companion workflow of pull requests from forks).
 */
export const COMMANDS = ['check', 'apply', 'rollback', 'status', 'comment'] as const;
export type Command = (typeof COMMANDS)[number];

// The action's own inputs, defined as the shared options are (core/parts/options/catalogue.ts).

/** What the step does; the one required input. */
export const COMMAND: Option<Command> = {
  name: 'command',
  commands: COMMANDS,
  description:
    'check (prove the migrations; on a pull request only those it adds), apply (apply the pending migrations to the target behind guards and a verified backup), rollback (run downs back to `to` or by `steps`, or restore the backup `restore` names), status (read the target: applied, pending, edited, drifted), or comment (on a workflow_run event, post the sticky comment from the report artifact of the check run it follows, with only github-token and working-directory: the companion workflow for pull requests from forks); apply and rollback refuse to run on pull_request and pull_request_target events',
  parse: oneOf(COMMANDS),
};

/** Many targets instead of one; read line by line by the inputs. */
export const TARGETS: Option<string> = {
  name: 'targets',
  commands: ['apply', 'rollback', 'status'],
  description:
    'many databases (shards, tenants) instead of target-url, one URL per line (blank lines and lines starting with # are skipped), from a secret; each gets its own guards, backup (in a subfolder target-N of backup-dir) and report, no new target starts after one fails, and every line is masked',
  parse: anyText,
};

/** At most this many targets at once: each holds connections, a throwaway and a backup run. */
const MAX_PARALLEL = 16;

/** How many targets run side by side. */
export const PARALLEL: DefaultedOption<number> = {
  name: 'parallel',
  commands: ['apply', 'rollback', 'status'],
  default: '4',
  description: `how many targets are worked on at once (1 to ${MAX_PARALLEL})`,
  parse: wholeNumber(1, MAX_PARALLEL),
};

/** The characters the artifact service refuses in a name, checked before any database changes. */
const artifactName: ValueParser<string> = (text, label) => {
  if (/[":<>|*?\r\n\\/]/.test(text)) {
    throw new UsageError(
      `${label}: ${text} is not a valid artifact name (no " : < > | * ? \\ / or line breaks)`,
    );
  }
  return text;
};

/** Uploads each backup as a workflow artifact. */
export const BACKUP_ARTIFACT: Option<string> = {
  name: 'backup-artifact',
  commands: ['apply', 'rollback'],
  description:
    "also upload the verified backup and its manifest as a workflow artifact of this name (with many targets, one per target, its name followed by -target-N), for restore to name later; off by default: a backup holds production data, and an artifact can be downloaded by anyone who can read this repository's Actions until it expires",
  parse: artifactName,
};

/** How long that artifact is kept. */
export const BACKUP_RETENTION_DAYS: Option<number> = {
  name: 'backup-retention-days',
  commands: ['apply', 'rollback'],
  description:
    "days the backup-artifact is kept, 1 to 90 (at most the repository's limit; default: the repository's artifact retention setting)",
  parse: wholeNumber(1, 90),
};

/** The backup rollback restores instead of running downs (the CLI's `restore --from`). */
export const RESTORE: Option<string> = {
  name: 'restore',
  commands: ['rollback'],
  description:
    'restore this backup into the target (one target only), after taking a fresh verified backup of it: a backup file or a folder holding one backup (relative to working-directory), or the name of a workflow artifact of this repository holding one (the newest unexpired one is downloaded with github-token, which then needs actions: read)',
  parse: anyText,
};

/**
 * The token. Its default is a runner expression, filled in before the action reads it: read it
 * with givenValue, never with its default.
 */
export const GITHUB_TOKEN: Option<string> = {
  name: 'github-token',
  commands: COMMANDS,
  default: '${{ github.token }}',
  description:
    'token for the pull request comment (needs pull-requests: write) and for downloading a backup artifact to restore or a report artifact to comment (needs actions: read)',
  parse: anyText,
};

/** Whether check comments on the pull request. */
export const COMMENT: DefaultedOption<boolean> = {
  name: 'comment',
  commands: ['check'],
  default: 'true',
  description: 'post (and on every push, update) one sticky comment on the pull request',
  parse: trueOrFalse,
};

/** Where relative paths start. */
export const WORKING_DIRECTORY: DefaultedOption<string> = {
  name: 'working-directory',
  commands: COMMANDS,
  default: '.',
  description: 'directory the migrations path and the kysely config are relative to',
  parse: anyText,
};

/**
 * What the action adds to a shared option's description in action.yml (after `; `): how a
 * workflow gives it, never what it does, which the catalogue says for both shells.
 */
const ACTION_NOTES: Readonly<Record<string, string>> = {
  migrations: 'relative to working-directory',
  throwaway: 'Docker answers on GitHub-hosted Ubuntu runners',
  'server-url': 'masked in the log',
  'target-url':
    'pass it from a secret (masked in the log); a pull request from a fork gets no secrets: leave it unset there',
  'backup-dir':
    'default: a folder under RUNNER_TEMP; upload them only as the example workflows do, never to a comment',
};

/** Every input of action.yml, in its order. */
export const ACTION_INPUTS: readonly Option<unknown>[] = [
  COMMAND,
  MIGRATIONS,
  ALLOW_EMPTY,
  DIALECT,
  MODE,
  SEED_ROWS,
  SEED,
  MERGED_CACHE,
  THROWAWAY,
  IMAGE,
  SERVER_URL,
  TARGET_URL,
  TARGETS,
  PARALLEL,
  ALLOW_DRIFT,
  DRY_RUN,
  FAIL_ON_PENDING,
  REQUIRE_REVERSIBLE,
  TRANSACTION,
  BACKUP,
  BACKUP_VERIFY,
  BACKUP_DIR,
  BACKUP_ARTIFACT,
  BACKUP_RETENTION_DAYS,
  LOCK_TIMEOUT,
  LOCK_WAIT,
  STATEMENT_TIMEOUT,
  TO,
  STEPS,
  RESTORE,
  MIGRATION_TABLE,
  GITHUB_TOKEN,
  COMMENT,
  FAIL_ON_OPTION,
  WORKING_DIRECTORY,
];

/**
 * The commands descriptions are scoped among. Not `comment`: it takes only command, github-token
 * and working-directory, as its own description says, and scoping every other input to "check,
 * apply, rollback, status" would say nothing more.
 */
const DESCRIBED_COMMANDS = COMMANDS.filter((command) => command !== 'comment');

/** An input's description as action.yml holds it: scoped to the action's commands, with its note. */
export function actionInputDescription(input: Option<unknown>): string {
  const note = ACTION_NOTES[input.name];
  const description = describeAmong(input, DESCRIBED_COMMANDS);
  return note === undefined ? description : `${description}; ${note}`;
}
