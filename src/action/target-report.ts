import {
  renderChangeJson,
  renderChangeMarkdown,
  renderChangeText,
} from '../core/parts/report/apply-report.ts';
import type { ApplyResult } from '../core/model/apply-result.ts';
import type { ChangeFailure } from '../core/model/change-failure.ts';
import type { Refusal } from '../core/model/refusal.ts';
import { redactSecrets } from '../core/parts/database/redaction.ts';
import { messageOf } from '../core/model/errors.ts';
import { renderCheckMarkdown } from '../core/parts/report/markdown-report.ts';
import { escapeMarkdown } from '../core/parts/report/markdown-escape.ts';
import { renderStatusMarkdown } from '../core/parts/report/status-markdown.ts';
import {
  renderRestoreJson,
  renderRestoreMarkdown,
  renderRestoreText,
} from '../core/parts/report/restore-report.ts';
import type { RestoreResult } from '../core/model/restore-result.ts';
import type { RollbackResult } from '../core/model/rollback-result.ts';
import type { StatusResult } from '../core/model/status-result.ts';
import { renderStatusJson, renderStatusText } from '../core/parts/report/status-text.ts';
import { optional } from '../core/model/optional.ts';

/**
 * What one target's run says, in the shapes the step reports in: the log, the job summary, the
 * outputs and the annotations. Built from the engine's result, so every command reports alike.
 */
export interface TargetReport {
  /** The target without credentials. */
  readonly database: string;
  readonly ok: boolean;
  /** The engine's outcome word (`applied`, `refused`, ...), `error` for a throw, `skipped`. */
  readonly outcome: string;
  readonly applied: readonly string[];
  readonly rolledBack: readonly string[];
  readonly pendingCount?: number;
  readonly current?: string;
  readonly backupPath?: string;
  readonly durationMs?: number;
  readonly text: string;
  /** The essentials, for the job summary. */
  readonly markdown: string;
  /** More, shown in the summary while it fits (apply's proof on the throwaway). */
  readonly details?: string;
  /** The whole result for `report-json` (the CLI's `--json`), when there is one. */
  readonly json?: string;
  /** Why the target failed, a line each, for error annotations. */
  readonly problems: readonly string[];
}

/** A proof this long still fits many targets in the 1 MiB job summary. */
const PROOF_LIMIT = 64 * 1024;

export function applyReport(result: ApplyResult): TargetReport {
  const proof =
    result.proof === undefined
      ? undefined
      : renderCheckMarkdown(result.proof, {
          maxLength: PROOF_LIMIT,
          fullReportHint: 'Run migration-gate check for the whole report.',
        });
  return {
    ...changeReport(result),
    applied: result.applied,
    rolledBack: [],
    pendingCount: result.pendingCount,
    markdown: `${renderChangeMarkdown(result)}${backupMarkdown(result.backup?.path)}`,
    // The same renderer as the pull request's comment: reviewers read the same report twice.
    ...optional(
      'details',
      proof &&
        `\n\n<details><summary>Proof of the pending migrations on a throwaway</summary>\n\n${proof}\n</details>`,
    ),
  };
}

export function rollbackReport(result: RollbackResult): TargetReport {
  // A dry run's report lists its plan already.
  const plan =
    result.plan.length === 0 || result.dryRun === true
      ? ''
      : `\n\n**Plan** (rehearsed on a throwaway): ${result.plan.map((down) => `\`${down.name}\``).join(', ')}`;
  return {
    ...changeReport(result),
    applied: [],
    rolledBack: result.rolledBack,
    markdown: `${renderChangeMarkdown(result)}${plan}${backupMarkdown(result.backup?.path)}`,
  };
}

export function restoreReport(result: RestoreResult): TargetReport {
  return {
    database: result.database,
    ok: result.ok,
    outcome: result.outcome,
    applied: [],
    rolledBack: [],
    ...optional('current', result.current),
    ...optional('backupPath', result.backup?.path),
    durationMs: result.durationMs,
    text: renderRestoreText(result),
    markdown: renderRestoreMarkdown(result),
    json: renderRestoreJson(result),
    problems: problemLines(result.refusal, result.failure),
  };
}

export function statusReport(result: StatusResult): TargetReport {
  return {
    database: result.database,
    ok: result.ok,
    outcome: result.ok ? 'ok' : 'problems',
    applied: [],
    rolledBack: [],
    pendingCount: result.pending.length,
    ...optional('current', result.applied.at(-1)),
    text: renderStatusText(result),
    markdown: renderStatusMarkdown(result),
    json: renderStatusJson(result),
    problems: [
      ...(result.halfApplied === undefined
        ? []
        : [`half-applied: ${result.halfApplied.message}`, ...result.halfApplied.details]),
      ...result.checksumMismatches.map((mismatch) => mismatch.message),
      ...result.drift.map((line) => `drift: ${line}`),
      ...result.unknown.map((name) => `${name} is applied but not among the migrations`),
      ...(result.failOnPending === true && result.pending.length > 0
        ? [`${result.pending.length} migration(s) pending (fail-on-pending): ${result.pending.join(', ')}`]
        : []),
    ],
  };
}

/** A target whose run threw: unreachable, wrong password, a usage error. */
export function errorReport(database: string, error: unknown): TargetReport {
  const message = redactSecrets(messageOf(error));
  return {
    database,
    ok: false,
    outcome: 'error',
    applied: [],
    rolledBack: [],
    text: `error: ${message}`,
    markdown: `### ❌ ${escapeMarkdown(database)}\n\n${escapeMarkdown(message)}`,
    problems: [message],
  };
}

/** A target never started, because an earlier one failed. */
export function skippedReport(database: string): TargetReport {
  const why = 'not started: an earlier target failed';
  return {
    database,
    ok: false,
    outcome: 'skipped',
    applied: [],
    rolledBack: [],
    text: why,
    markdown: `### ⏭️ ${escapeMarkdown(database)}\n\n${why}`,
    problems: [],
  };
}

function changeReport(result: ApplyResult | RollbackResult) {
  return {
    database: result.database,
    ok: result.ok,
    outcome: result.outcome,
    ...optional('current', result.current),
    ...optional('backupPath', result.backup?.path),
    durationMs: result.durationMs,
    text: renderChangeText(result),
    json: renderChangeJson(result),
    problems: problemLines(
      result.refusal,
      result.failure && {
        ...result.failure,
        message: `${result.failure.migration} failed: ${result.failure.message}`,
      },
    ),
  };
}

/** A refusal or a failure, a line each, as the error annotation says it. */
function problemLines(refusal: Refusal | undefined, failure: ChangeFailure | undefined): string[] {
  return [
    ...(refusal === undefined ? [] : [`refused (${refusal.reason}): ${refusal.message}`, ...refusal.details]),
    ...(failure === undefined
      ? []
      : [failure.message, `state: ${failure.state}`, `recover: ${failure.recovery}`]),
  ];
}

/** Where the backup is, never what it holds: it is production data. */
function backupMarkdown(path: string | undefined): string {
  if (path === undefined) return '';
  return `\n\nVerified backup taken before the first change: \`${path.replaceAll('`', '')}\``;
}
