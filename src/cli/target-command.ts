import type { BackupChoice } from '../core/parts/backup/backup-step.ts';
import { runApply } from '../core/flows/apply/apply.ts';
import {
  renderChangeJson,
  renderChangeMarkdown,
  renderChangeText,
} from '../core/parts/report/apply-report.ts';
import { backupStepForApply } from '../core/parts/backup/take-verified-backup.ts';
import type { Logger } from '../core/model/logger.ts';
import { renderStatusMarkdown } from '../core/parts/report/status-markdown.ts';
import { runRestore } from '../core/flows/restore/restore.ts';
import {
  renderRestoreJson,
  renderRestoreMarkdown,
  renderRestoreText,
} from '../core/parts/report/restore-report.ts';
import { runRollback } from '../core/flows/rollback/rollback.ts';
import { runStatus } from '../core/flows/status/status.ts';
import { renderStatusJson, renderStatusText } from '../core/parts/report/status-text.ts';
import type { CliIo } from './io.ts';
import type { TargetArguments, TargetCommand } from './target-args.ts';
import { parseTargetArguments } from './target-args.ts';

/**
 * The `apply`, `status`, `rollback` and `restore` commands. apply, rollback and restore change a
 * target only behind a verified backup under `--backup-dir`, or with `--backup none` said
 * explicitly.
 */
export function targetCommand(
  command: TargetCommand,
): (argv: readonly string[], io: CliIo) => Promise<number> {
  return async (argv, io) => {
    const args = parseTargetArguments(command, argv, io.env);
    // In text mode progress is part of the report, as check's is; beside JSON or markdown it
    // goes to stderr.
    const progress = args.format === 'text' ? io.stdout : io.stderr;
    const logger: Logger = {
      info: (message) => progress(message),
      warn: (message) => io.stderr(`warning: ${message}`),
      debug: (message) => {
        if (args.verbose) io.stderr(`debug: ${message}`);
      },
    };
    const common = {
      targetUrl: args.targetUrl,
      cwd: io.cwd,
      throwaway: args.throwaway,
      allowEmpty: args.allowEmpty,
      logger,
      ...(args.migrations === undefined ? {} : { migrations: args.migrations }),
      ...(args.migrationTable === undefined ? {} : { migrationTable: args.migrationTable }),
      ...(args.serverUrl === undefined ? {} : { serverUrl: args.serverUrl }),
      ...(args.image === undefined ? {} : { image: args.image }),
    };
    if (command === 'status') {
      const result = await runStatus({ ...common, failOnPending: args.failOnPending });
      io.stdout(
        args.format === 'json'
          ? renderStatusJson(result)
          : args.format === 'markdown'
            ? renderStatusMarkdown(result)
            : renderStatusText(result),
      );
      return result.ok ? 0 : 1;
    }
    if (command === 'restore') {
      const result = await runRestore({
        targetUrl: args.targetUrl,
        from: args.from!,
        cwd: io.cwd,
        backup: backupChoice(args, logger),
        logger,
        ...(args.migrationTable === undefined ? {} : { migrationTable: args.migrationTable }),
      });
      io.stdout(
        args.format === 'json'
          ? renderRestoreJson(result)
          : args.format === 'markdown'
            ? renderRestoreMarkdown(result)
            : renderRestoreText(result),
      );
      return result.ok ? 0 : 1;
    }
    const changing = {
      ...common,
      backup: backupChoice(args, logger),
      allowDrift: args.allowDrift,
      limits: args.limits,
      dryRun: args.dryRun,
    };
    const result =
      command === 'apply'
        ? await runApply({
            ...changing,
            requireReversible: args.requireReversible,
            ...(args.transaction === undefined ? {} : { transaction: args.transaction }),
            ...(args.upTo === undefined ? {} : { to: args.upTo }),
          })
        : await runRollback({ ...changing, goal: args.goal! });
    io.stdout(
      args.format === 'json'
        ? renderChangeJson(result)
        : args.format === 'markdown'
          ? renderChangeMarkdown(result)
          : renderChangeText(result),
    );
    return result.ok ? 0 : 1;
  };
}

/** `--backup none` said explicitly, or a verified backup under `--backup-dir` before any change. */
function backupChoice(args: TargetArguments, logger: Logger): BackupChoice {
  const backup = args.backup;
  if (backup === undefined || 'none' in backup) return 'none';
  return backupStepForApply({
    dir: backup.dir,
    logger,
    verifyIn: backup.verifyIn,
    ...(args.image === undefined ? {} : { verifyImage: args.image }),
  });
}
