import { parseArgs } from 'node:util';
import type { SessionLimits } from '../core/parts/target/session-limits.ts';
import { TRANSACTION_MODES } from '../core/parts/target/target-run.ts';
import type { TransactionMode } from '../core/parts/target/target-run.ts';
import type { TargetThrowawayOptions } from '../core/parts/target/target-throwaway.ts';
import { parseConnectionUrl } from '../core/parts/database/connection-url.ts';
import { UsageError } from '../core/model/errors.ts';
import type { RollbackGoal } from '../core/flows/rollback/rollback-target.ts';
import { THROWAWAY_KINDS } from '../core/parts/throwaway/throwaway.ts';
import type { ThrowawayKind } from '../core/parts/throwaway/throwaway.ts';
import type { OutputFormat } from './args.ts';
import { nonEmpty } from './args.ts';
import { optional } from '../core/model/optional.ts';

/** The commands that work on a target database. */
export type TargetCommand = 'apply' | 'status' | 'rollback' | 'restore';

/** Usage of `apply`, `status`, `rollback` and `restore`. */
export const TARGET_USAGE = `usage: migration-gate apply|status|rollback|restore --target-url <url> [options]

apply     refuses an edited or drifted target, proves pending migrations reversible on a
          throwaway, takes a backup, then applies them one at a time with Kysely's Migrator
status    applied, pending, edited and drifted migrations of the target (only reads it)
rollback  runs the downs back to --to <name> (0: all) or --steps <n>, rehearsed on a
          throwaway first, behind a backup
restore   restores the backup --from <path> into the target, after taking a fresh verified
          backup of it (the backup's sha256 and engine are checked first)

options:
  --target-url <url>        the database (or MIGRATION_GATE_TARGET_URL)
  --migrations <path>       migrations folder or index module (default: kysely.config.ts's
                            migrationFolder, else ./migrations)
  --throwaway <kind>        auto | embedded | server | container (default auto)
  --server-url <url>        server for scratch databases (or MIGRATION_GATE_SERVER_URL)
  --image <image>           container image
  --migration-table <t>     Kysely's migration table name (default kysely_migration)
  --backup none             change the target without a backup (apply, rollback, restore:
                            required until --backup-dir is given)
  --backup-dir <dir>        where the verified backup is written (apply, rollback, restore)
  --backup-verify <where>   server (default: a scratch database on the target's server, whose
                            user needs CREATE DATABASE) or container (of --image, else of the
                            official image of the target's version; needs Docker)
  --allow-drift             apply or roll back although the schema drifted
  --require-reversible false  apply migrations that are not proven reversible
  --transaction <mode>      apply: per-migration (default: each commits alone) or all (one
                            transaction for the run, all or nothing; Postgres only)
  --lock-timeout <ms>       how long each migration may wait for a lock (retried 3 times)
  --statement-timeout <ms>  how long one statement may run
  --to <name|0>             rollback: the migration to return to (0: none applied)
  --steps <n>               rollback: how many migrations to undo
  --from <path>             restore: a backup file (its .manifest.json beside it), or a folder
                            holding exactly one backup, such as a downloaded workflow artifact
  --format <format>         text (default) | json | markdown
  --json                    same as --format json
  --verbose                 print debug output

exit codes: 0 done (status: nothing wrong), 1 refused or failed, 2 usage or environment error.`;

/** The parsed command line of a target command. */
export interface TargetArguments extends Omit<TargetThrowawayOptions, 'logger'> {
  readonly targetUrl: string;
  readonly migrations?: string;
  readonly migrationTable?: string;
  /** `none`, or the folder the backup goes to. */
  readonly backup?:
    { readonly none: true } | { readonly dir: string; readonly verifyIn: 'server' | 'container' };
  readonly allowDrift: boolean;
  readonly requireReversible: boolean;
  /** apply only. */
  readonly transaction?: TransactionMode;
  readonly limits: SessionLimits;
  readonly goal?: RollbackGoal;
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
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'target-url': { type: 'string' },
        migrations: { type: 'string' },
        throwaway: { type: 'string', default: 'auto' },
        'server-url': { type: 'string' },
        image: { type: 'string' },
        'migration-table': { type: 'string' },
        backup: { type: 'string' },
        'backup-dir': { type: 'string' },
        'backup-verify': { type: 'string' },
        'allow-drift': { type: 'boolean', default: false },
        'require-reversible': { type: 'string', default: 'true' },
        'lock-timeout': { type: 'string' },
        'statement-timeout': { type: 'string' },
        to: { type: 'string' },
        steps: { type: 'string' },
        from: { type: 'string' },
        transaction: { type: 'string' },
        json: { type: 'boolean', default: false },
        format: { type: 'string' },
        verbose: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''));
  }
  const targetUrl = nonEmpty(values['target-url']) ?? nonEmpty(env['MIGRATION_GATE_TARGET_URL']);
  if (targetUrl === undefined)
    throw new UsageError(`${command} needs --target-url (or MIGRATION_GATE_TARGET_URL)`);
  parseConnectionUrl(targetUrl);
  if (!(THROWAWAY_KINDS as readonly string[]).includes(values.throwaway)) {
    throw new UsageError(`--throwaway must be one of ${THROWAWAY_KINDS.join(', ')}, not ${values.throwaway}`);
  }
  const format = values.json ? 'json' : (values.format ?? 'text');
  if (format !== 'text' && format !== 'json' && format !== 'markdown') {
    throw new UsageError(`--format must be one of text, json, markdown, not ${format}`);
  }
  if (values['require-reversible'] !== 'true' && values['require-reversible'] !== 'false') {
    throw new UsageError(`--require-reversible must be true or false, not ${values['require-reversible']}`);
  }
  const serverUrl = nonEmpty(values['server-url']) ?? nonEmpty(env['MIGRATION_GATE_SERVER_URL']);
  const backup = parseBackup(
    command,
    nonEmpty(values.backup),
    nonEmpty(values['backup-dir']),
    nonEmpty(values['backup-verify']),
  );
  const goal = command === 'rollback' ? parseGoal(nonEmpty(values.to), nonEmpty(values.steps)) : undefined;
  const from = parseFrom(command, values.from);
  const transaction = parseTransaction(command, nonEmpty(values.transaction));
  const lockTimeoutMs = milliseconds('--lock-timeout', values['lock-timeout']);
  const statementTimeoutMs = milliseconds('--statement-timeout', values['statement-timeout']);
  return {
    targetUrl,
    throwaway: values.throwaway as ThrowawayKind,
    format,
    verbose: values.verbose,
    allowDrift: values['allow-drift'],
    requireReversible: values['require-reversible'] === 'true',
    limits: {
      ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
      ...(statementTimeoutMs === undefined ? {} : { statementTimeoutMs }),
    },
    ...optional('migrations', nonEmpty(values.migrations)),
    ...optional('migrationTable', nonEmpty(values['migration-table'])),
    ...optional('serverUrl', serverUrl),
    ...optional('image', nonEmpty(values.image)),
    ...optional('backup', backup),
    ...optional('goal', goal),
    ...optional('from', from),
    ...optional('transaction', transaction),
  };
}

function parseTransaction(command: TargetCommand, value: string | undefined): TransactionMode | undefined {
  if (value === undefined) return undefined;
  if (command !== 'apply') throw new UsageError(`--transaction is for apply only, not ${command}`);
  if (!(TRANSACTION_MODES as readonly string[]).includes(value)) {
    throw new UsageError(`--transaction must be one of ${TRANSACTION_MODES.join(', ')}, not ${value}`);
  }
  return value as TransactionMode;
}

function parseBackup(
  command: TargetCommand,
  backup: string | undefined,
  dir: string | undefined,
  verify: string | undefined,
): TargetArguments['backup'] {
  if (verify !== undefined && verify !== 'server' && verify !== 'container') {
    throw new UsageError(`--backup-verify must be server or container, not ${verify}`);
  }
  if (verify !== undefined && dir === undefined) {
    throw new UsageError(
      '--backup-verify says where the backup of --backup-dir is verified: give --backup-dir',
    );
  }
  if (command === 'status') return undefined;
  if (backup !== undefined && backup !== 'none') {
    throw new UsageError(`--backup takes only none; give the backup's folder with --backup-dir`);
  }
  if (backup !== undefined && dir !== undefined)
    throw new UsageError('give --backup none or --backup-dir, not both');
  if (backup === 'none') return { none: true };
  if (dir !== undefined) return { dir, verifyIn: verify ?? 'server' };
  throw new UsageError(
    `${command} changes the target: give --backup-dir <dir>, or --backup none to go without`,
  );
}

function parseFrom(command: TargetCommand, from: string | undefined): string | undefined {
  if (command !== 'restore') {
    if (from !== undefined) throw new UsageError(`--from is for restore only, not ${command}`);
    return undefined;
  }
  const path = nonEmpty(from);
  if (path === undefined) throw new UsageError('restore needs --from <backup file or folder>');
  return path;
}

function parseGoal(to: string | undefined, steps: string | undefined): RollbackGoal {
  if ((to === undefined) === (steps === undefined))
    throw new UsageError('rollback needs --to <name|0> or --steps <n>');
  if (to !== undefined) return { to };
  const count = Number(steps);
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`--steps must be a whole number of at least 1, not ${steps}`);
  return { steps: count };
}

function milliseconds(option: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1)
    throw new UsageError(`${option} must be a number of milliseconds, not ${value}`);
  return ms;
}
