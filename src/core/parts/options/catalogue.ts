import { PROOF_MODES } from '../../model/check-result.ts';
import type { ProofMode } from '../../model/check-result.ts';
import type { DialectName } from '../../model/dialect.ts';
import { DEFAULT_FAIL_ON, FAIL_ON } from '../../model/fail-on.ts';
import type { FailOn } from '../../model/fail-on.ts';
import type { VerifyBackupOptions } from '../backup/verify-backup.ts';
import { TRANSACTION_MODES } from '../target/target-run.ts';
import type { TransactionMode } from '../target/target-run.ts';
import { THROWAWAY_KINDS } from '../throwaway/throwaway.ts';
import type { ThrowawayKind } from '../throwaway/throwaway.ts';
import type { DefaultedOption, Option } from './option.ts';
import {
  anyText,
  connectionUrl,
  dialectName,
  duration,
  folderPath,
  oneOf,
  trueOrFalse,
  wholeNumber,
} from './value-parsers.ts';

/** Whether a change waits for a verified backup, or goes without, said explicitly. */
const BACKUP_MODES = ['verified', 'none'] as const;
export type BackupMode = (typeof BACKUP_MODES)[number];

/** Where a backup is restored to be verified: a scratch database on the target's server, or a container. */
export type BackupVerifyPlace = NonNullable<VerifyBackupOptions['verifyIn']>;
const BACKUP_VERIFY_PLACES: readonly BackupVerifyPlace[] = ['server', 'container'];

// The options both shells have. Each shell adds its own few (the CLI's --format, the action's
// targets) beside these, built and read the same way.

/** The migrations to prove, apply or roll back. */
export const MIGRATIONS: Option<string> = {
  name: 'migrations',
  placeholder: '<path>',
  commands: ['check', 'apply', 'status', 'rollback', 'new'],
  description:
    'migrations folder or index module (default: the migrationFolder of kysely.config.ts or .config/kysely.config.ts, else ./migrations)',
  parse: anyText,
};

/** Lets a folder with no migration pass, said explicitly. */
export const ALLOW_EMPTY: DefaultedOption<boolean> = {
  name: 'allow-empty',
  commands: ['check', 'apply', 'status', 'rollback'],
  default: 'false',
  description:
    'let a migrations folder with no migration pass (a new project); without it an empty folder fails, since a wrong path or misnamed files look the same',
  parse: trueOrFalse,
};

/** The SQL dialect; a URL of the other one is refused. */
export const DIALECT: Option<DialectName> = {
  name: 'dialect',
  placeholder: '<name>',
  commands: ['check', 'apply', 'status', 'rollback', 'restore'],
  description:
    'postgres or mysql (MariaDB is mysql); a URL of the other dialect is refused (default: from the kysely config, the URLs or the image, else postgres)',
  parse: dialectName,
};

/** Where the proof runs. */
export const THROWAWAY: DefaultedOption<ThrowawayKind> = {
  name: 'throwaway',
  placeholder: '<kind>',
  commands: ['check', 'apply', 'status', 'rollback'],
  default: 'auto',
  description:
    'where the proof runs: container (an image, by testcontainers), server (a scratch database created and dropped on server-url), embedded (PGlite, Postgres only), or auto (container when Docker answers, else server when server-url is given, else embedded)',
  parse: oneOf(THROWAWAY_KINDS),
};

/** The server of `throwaway: server`. */
export const SERVER_URL: Option<string> = {
  name: 'server-url',
  placeholder: '<url>',
  commands: ['check', 'apply', 'status', 'rollback'],
  description:
    "server the throwaway's scratch databases are created and dropped on (postgres://, mysql://, mariadb://); its user needs the right to create databases",
  parse: connectionUrl,
};

/** The throwaway's container image, also the one a backup is verified in. */
export const IMAGE: Option<string> = {
  name: 'image',
  placeholder: '<image>',
  commands: ['check', 'apply', 'status', 'rollback', 'restore'],
  description:
    "container image of the throwaway database, such as postgres:16-alpine, mysql:8.4 or mariadb:11 (a name containing mariadb runs MariaDB): match production's version. Default: for check with a target URL, the official image of the target's engine and release (postgres:17, mysql:9.7, mariadb:11.8), else postgres:16-alpine / mysql:8.4; MIGRATION_GATE_IMAGE_MIRROR=official=replacement,... runs another image in an official one's place",
  parse: anyText,
};

/** How the proof groups the migrations. */
export const MODE: DefaultedOption<ProofMode> = {
  name: 'mode',
  placeholder: '<mode>',
  commands: ['check'],
  default: 'step',
  description:
    'step (each migration proven alone: up, down, up) or sequence (all ups, all downs in reverse, all ups again)',
  parse: oneOf(PROOF_MODES),
};

/** The data-aware proof: rows in the tables while each migration under proof runs. */
export const SEED_ROWS: DefaultedOption<boolean> = {
  name: 'seed-rows',
  placeholder: '<true|false>',
  commands: ['check'],
  default: 'true',
  description:
    'step mode: fill the tables with a few generated rows (NULLs, duplicates, longest values, non-ASCII text) before each migration under proof, report a step that fails only on existing rows (fails-on-existing-rows) and a down that does not bring the rows back (down-loses-rows); false proves on empty tables',
  parse: trueOrFalse,
};

/** The merged history's state from the cache folder instead of a replay (see merged-cache.ts). */
export const MERGED_CACHE: DefaultedOption<boolean> = {
  name: 'merged-cache',
  placeholder: '<true|false>',
  commands: ['check'],
  default: 'true',
  description:
    'with a base (a pull request): restore the state after the merged migrations from the cache folder (MIGRATION_GATE_CACHE_DIR, else $XDG_CACHE_HOME/migration-gate or ~/.cache/migration-gate; the action keeps it in the Actions cache) instead of replaying them, when it was saved for the same migrations and engine and its schema snapshot still matches (embedded PGlite, and MySQL/MariaDB without rows; a Postgres server or container replays); false always replays',
  parse: trueOrFalse,
};

/** The project's own rows for the data-aware proof. */
export const SEED: Option<string> = {
  name: 'seed',
  placeholder: '<path>',
  commands: ['check'],
  description:
    "the project's own rows, run once on the throwaway before the first migration under proof: a .sql file, a module exporting seed(db) (a Kysely instance), or a folder of them in name order (default: seed in migration-gate.config.json, else kysely-ctl's seeds.seedFolder)",
  parse: anyText,
};

/** Kysely's bookkeeping table. */
export const MIGRATION_TABLE: DefaultedOption<string> = {
  name: 'migration-table',
  placeholder: '<name>',
  commands: ['check', 'apply', 'status', 'rollback', 'restore'],
  default: 'kysely_migration',
  description:
    "Kysely's migration table (its lock table is this name with _lock); Kysera's runner's migrations(name, executed_at) is read, never written",
  parse: anyText,
};

/** The real database: changed by apply, rollback and restore, only read by status and check. */
export const TARGET_URL: Option<string> = {
  name: 'target-url',
  placeholder: '<url>',
  commands: ['check', 'apply', 'status', 'rollback', 'restore'],
  description:
    "the database to work on; check only reads it, after the proof, to show which migrations are pending there, whether its schema drifted, and how many of its rows the pending migrations' new constraints would fail on",
  parse: connectionUrl,
};

/** Goes ahead on a drifted target. */
export const ALLOW_DRIFT: DefaultedOption<boolean> = {
  name: 'allow-drift',
  commands: ['apply', 'rollback'],
  default: 'false',
  description:
    "go ahead although the target's schema differs from its applied migrations replayed on a throwaway (drift refuses by default)",
  parse: trueOrFalse,
};

/** Plans a change without making it. */
export const DRY_RUN: DefaultedOption<boolean> = {
  name: 'dry-run',
  commands: ['apply', 'rollback'],
  default: 'false',
  description:
    "only plan: run the guards and rehearse on a throwaway, then print each migration's SQL, its risks, the guards' verdicts and the backup a real run would take; the target is only read (outcome planned)",
  parse: trueOrFalse,
};

/** Fails a status that finds pending migrations, for scripts. */
export const FAIL_ON_PENDING: DefaultedOption<boolean> = {
  name: 'fail-on-pending',
  commands: ['status'],
  default: 'false',
  description:
    'fail (exit code 1) when a migration is pending on the target, for scripts that wait for a deploy',
  parse: trueOrFalse,
};

/** Proves pending migrations before applying them. */
export const REQUIRE_REVERSIBLE: DefaultedOption<boolean> = {
  name: 'require-reversible',
  placeholder: '<true|false>',
  commands: ['apply'],
  default: 'true',
  description:
    'prove the pending migrations reversible on a throwaway first (up, down, up) and refuse those that fail; false applies them unproven',
  parse: trueOrFalse,
};

/** How apply groups migrations into transactions; unset leaves it to the engine's default. */
export const TRANSACTION: Option<TransactionMode> = {
  name: 'transaction',
  placeholder: '<mode>',
  commands: ['apply'],
  description:
    "per-migration (the default: each migration commits on its own, so a failure keeps those before it) or all (one transaction for the whole run, all or nothing, as Kysely's Migrator runs; Postgres only, and not with a migration that opts out of transactions)",
  parse: oneOf(TRANSACTION_MODES),
};

/** A verified backup before a change, or none, said explicitly. */
export const BACKUP: DefaultedOption<BackupMode> = {
  name: 'backup',
  placeholder: '<mode>',
  commands: ['apply', 'rollback', 'restore'],
  default: 'verified',
  description:
    'verified (a logical backup of the target, restored into a scratch database and compared, before the first change: no verified backup, no change) or none (change the target without a backup, said explicitly)',
  parse: oneOf(BACKUP_MODES),
};

/** Where backups go. */
export const BACKUP_DIR: Option<string> = {
  name: 'backup-dir',
  placeholder: '<dir>',
  commands: ['apply', 'rollback', 'restore'],
  description:
    'where backups are written (readable by their owner only); they hold production data: keep them as private as the database',
  parse: folderPath,
};

/** Where a backup is verified. */
export const BACKUP_VERIFY: DefaultedOption<BackupVerifyPlace> = {
  name: 'backup-verify',
  placeholder: '<where>',
  commands: ['apply', 'rollback', 'restore'],
  default: 'server',
  description:
    "where the backup is restored to be verified: server (a scratch database on the target's own server, whose user then needs CREATE DATABASE) or container (of image, else of the official image of the target's version; needs Docker, and creates nothing on the target's server)",
  parse: oneOf(BACKUP_VERIFY_PLACES),
};

/**
 * How long a migration waits for a lock. Three attempts in all (target-step.ts and
 * one-transaction.ts), so the description says retried twice.
 */
export const LOCK_TIMEOUT: Option<number> = {
  name: 'lock-timeout',
  placeholder: '<duration>',
  commands: ['apply', 'rollback'],
  description:
    'how long a migration may wait for a lock: 5000 (ms), 5000ms, 5s or 2min; one that times out is retried twice, with a pause',
  parse: duration,
};

/**
 * How long a run waits for Kysely's migration lock held by another session (another deploy,
 * Kysely's Migrator, a session left by a killed run) before it gives up naming the holder.
 */
export const LOCK_WAIT: DefaultedOption<number> = {
  name: 'lock-wait',
  placeholder: '<duration>',
  commands: ['apply', 'rollback'],
  default: '3min',
  description:
    "how long to wait for Kysely's migration lock while another session holds it (same format); the holder is named while waiting, and the run stops with exit 1 when the wait ends",
  parse: duration,
};

/** How long one statement may run. */
export const STATEMENT_TIMEOUT: Option<number> = {
  name: 'statement-timeout',
  placeholder: '<duration>',
  commands: ['apply', 'rollback'],
  description:
    'how long one statement may run (same format); MariaDB bounds every statement, MySQL only SELECTs',
  parse: duration,
};

/** Where apply stops (Kysely's `migrateTo` up), or the migration rollback returns to. */
export const TO: Option<string> = {
  name: 'to',
  placeholder: '<name|0>',
  commands: ['apply', 'rollback'],
  description:
    'where to stop: apply applies the pending migrations up to and including this one; rollback returns to it (it stays applied), and 0 rolls back every migration',
  parse: anyText,
};

/** How many migrations rollback undoes. */
export const STEPS: Option<number> = {
  name: 'steps',
  placeholder: '<n>',
  commands: ['rollback'],
  description: 'how many applied migrations to roll back, newest first',
  parse: wholeNumber(1, Number.MAX_SAFE_INTEGER),
};

/** When check fails: the CLI's exit code and summary line, the action's step result. */
export const FAIL_ON_OPTION: DefaultedOption<FailOn> = {
  name: 'fail-on',
  placeholder: '<level>',
  commands: ['check'],
  default: DEFAULT_FAIL_ON,
  description:
    'when the check fails (the CLI exits 1, the step fails). error: a new migration fails the proof, a merged migration fails to replay, a merged migration was edited or deleted, a new migration sorts before a merged one, a step fails on existing rows (fails-on-existing-rows), or a risk of severity error is not acknowledged. warning: also an unacknowledged risk of severity warning, or a down that loses rows (down-loses-rows). never: report only (input and environment errors still fail). A notice never fails the check',
  parse: oneOf(FAIL_ON),
};

/** Every option both shells have: each shell lists these beside its own. */
export const SHARED_OPTIONS: readonly Option<unknown>[] = [
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
  ALLOW_DRIFT,
  DRY_RUN,
  FAIL_ON_PENDING,
  REQUIRE_REVERSIBLE,
  TRANSACTION,
  BACKUP,
  BACKUP_VERIFY,
  BACKUP_DIR,
  LOCK_TIMEOUT,
  LOCK_WAIT,
  STATEMENT_TIMEOUT,
  TO,
  STEPS,
  MIGRATION_TABLE,
  FAIL_ON_OPTION,
];
