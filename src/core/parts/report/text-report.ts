import type { CapturedStatement } from '../../model/captured-statement.ts';
import type { CheckResult } from '../../model/check-result.ts';
import type { FailOn } from '../../model/fail-on.ts';
import type { HistoryProblem } from '../../model/history-problem.ts';
import type { MigrationResult, MigrationStatus } from '../../model/migration-result.ts';
import type { Risk } from '../../model/risk.ts';
import type { TargetStatus } from '../../model/target-status.ts';
import { tableSizeWords } from './table-size-words.ts';
import { gateFailure } from './gate.ts';
import { proofEngineWords, releaseMismatch } from './proof-engine-words.ts';
import { metaWords } from './meta-words.ts';
import { riskCounts } from './risk-counts.ts';
import { MIGRATION_STATUSES } from '../../model/migration-result.ts';
import { STATUS_WORDS } from './status-words.ts';
import type { RuleDocs } from './rule-docs.ts';
import { dataFindingLines, dataSummary, failsOnRows } from './data-finding-words.ts';

const STATUS_MARKS: Readonly<Record<MigrationStatus, string>> = {
  reversible: 'ok  ',
  'declared-irreversible': 'ok  ',
  'not-reversible': 'FAIL',
  'missing-down': 'FAIL',
  error: 'FAIL',
};

/**
 * The one line a person reads for a migration, e.g.
 * `FAIL 0004_add_indexes  not reversible: down of 0004_add_indexes does not undo its up`.
 */
export function migrationLine(result: MigrationResult): string {
  const words = STATUS_WORDS[result.status];
  const where = result.line === undefined ? '' : ` (${result.file}:${result.line})`;
  let detail = '';
  if (result.status === 'declared-irreversible' && result.reason !== undefined) detail = `: ${result.reason}`;
  else if (result.message !== undefined) detail = `: ${result.message}${where}`;
  else if (result.empty !== undefined) detail = ` (empty ${result.empty.join(' and ')}: no-op)`;
  // The schema proof may pass while the step fails on rows: the mark follows the gate.
  const mark = failsOnRows(result) ? 'FAIL' : STATUS_MARKS[result.status];
  return `${mark} ${result.name}  ${words}${detail}`;
}

/** The details under a migration line: what it declares about itself, residue, notes, risks, data findings. */
export function migrationDetails(result: MigrationResult, ruleDocs: RuleDocs = () => undefined): string[] {
  return [
    ...metaLines(result),
    ...(result.residue ?? []).map((item) => `       - ${item}`),
    ...(result.notes ?? []).map((note) => `       note: ${note}`),
    ...(result.risks ?? []).flatMap((risk) => riskLines(risk, ruleDocs)),
    ...(result.dataFindings ?? []).flatMap(dataFindingLines),
  ];
}

/** `       BREAKING: Adds a slug`, `       tags: blog`, `       duration: 30.0 s estimated, ...`. */
function metaLines(result: MigrationResult): string[] {
  const words = metaWords(result);
  if (words === undefined) return [];
  const about = [words.breaking ? 'BREAKING change' : undefined, words.description].filter(
    (part) => part !== undefined,
  );
  return [
    ...(about.length > 0 ? [`       ${about.join(': ')}`] : []),
    ...(words.tags === undefined ? [] : [`       tags: ${words.tags.join(', ')}`]),
    ...(words.duration === undefined ? [] : [`       duration: ${words.duration}`]),
  ];
}

/**
 * A migration's SQL as run on the throwaway database, under its line (`--show-sql`): each
 * direction's statements, indented, a refused one marked.
 */
export function migrationSql(result: MigrationResult): string[] {
  const directions = Object.entries(result.statements ?? {}) as [string, readonly CapturedStatement[]][];
  return directions.flatMap(([direction, statements]) =>
    statements.length === 0
      ? []
      : [
          `       ${direction}:`,
          ...statements.flatMap((statement) =>
            `${statement.sql.trim()}${statement.failed === true ? '  -- failed' : ''}`
              .split('\n')
              .map((line) => `         ${line}`),
          ),
        ],
  );
}

/**
 * A risk as the terminal shows it, e.g.
 * `       risk (error) create-index-blocking: builds index ... (statement 4)`, then why and the
 * safer way and where the rule's page is; an acknowledged one in a single line with its reason.
 */
export function riskLines(risk: Risk, ruleDocs: RuleDocs): string[] {
  const where = risk.statement === undefined ? '' : ` (statement ${risk.statement + 1})`;
  const head = `       risk (${risk.severity}) ${risk.rule}: ${risk.what}${where}`;
  if (risk.acknowledged !== undefined) return [`${head}; acknowledged: ${risk.acknowledged}`];
  const page = ruleDocs(risk.rule);
  return [
    head,
    `           why: ${risk.why}`,
    `           instead: ${risk.instead}`,
    ...(page === undefined ? [] : [`           rule: ${page}`]),
  ];
}

/** The whole check as terminal text: a line per migration, details of failures, a summary. */
export function renderCheckText(result: CheckResult, failOn: FailOn): string {
  const lines: string[] = [];
  if (result.replayed.length > 0) {
    const failed = result.replayed.filter((replay) => replay.status === 'error');
    lines.push(
      `replayed ${result.replayed.length} merged migration(s)${failed.length > 0 ? `, ${failed.length} failed` : ''}`,
    );
    for (const replay of failed) lines.push(`FAIL ${replay.name}  replay failed: ${replay.message ?? ''}`);
  }
  for (const migration of result.migrations)
    lines.push(migrationLine(migration), ...migrationDetails(migration));
  lines.push(...historyLines(result.historyProblems ?? []));
  if (result.target !== undefined) lines.push(...targetLines(result.target));
  lines.push('', summaryLine(result, failOn));
  return lines.join('\n');
}

const HISTORY_WORDS: Readonly<Record<HistoryProblem['kind'], string>> = {
  modified: 'merged migration modified',
  deleted: 'merged migration deleted',
  'out-of-order': 'out of order',
};

/**
 * A line per way the change set edits merged history, e.g.
 * `FAIL 0003_x  merged migration modified: ... (migrations/0003_x.ts)`; each fails the gate.
 */
export function historyLines(problems: readonly HistoryProblem[]): string[] {
  return problems.map((problem) => {
    const rename = problem.suggestedName === undefined ? '' : `; rename it to ${problem.suggestedName}`;
    return `FAIL ${problem.name}  ${HISTORY_WORDS[problem.kind]}: ${problem.message}${rename} (${problem.file})`;
  });
}

/** What the target database says, in a few indented lines under `target: <database>`. */
export function targetLines(target: TargetStatus): string[] {
  const lines = [`target: ${target.database}`];
  if (target.error === undefined || target.applied.length > 0 || target.pending.length > 0) {
    const pending = target.pending.length > 0 ? ` (${target.pending.join(', ')})` : '';
    lines.push(`       ${target.applied.length} applied, ${target.pending.length} pending${pending}`);
  }
  if (target.unknown.length > 0)
    lines.push(`       applied there but not in the migrations folder: ${target.unknown.join(', ')}`);
  if (target.drift !== undefined && target.drift.length === 0) lines.push('       no drift');
  for (const item of target.drift ?? []) lines.push(`       drift: ${item}`);
  for (const check of target.rowChecks ?? []) lines.push(`       ${check.message} [${check.id}]`);
  for (const size of target.tables ?? []) lines.push(`       table ${tableSizeWords(size)}`);
  if (target.error !== undefined) lines.push(`       error: ${target.error}`);
  return lines;
}

/**
 * `PASSED: 7 migration(s) proven (step mode): 6 reversible, ... in 3.2 s on embedded PGlite ...;
 * proven on PostgreSQL 18.1 (embedded PGlite)`, or `; proven on PostgreSQL 15.20, target runs
 * PostgreSQL 17.2` when the proof's engine or release is not the target's;
 * PASSED or FAILED as the gate judges under `failOn`, so it never says PASSED when the command
 * or the step fails.
 */
export function summaryLine(result: CheckResult, failOn: FailOn): string {
  const counts = MIGRATION_STATUSES.filter((status) => result.summary[status] > 0).map(
    (status) => `${result.summary[status]} ${STATUS_WORDS[status]}`,
  );
  const verdict = gateFailure(result, failOn) === undefined ? 'PASSED' : 'FAILED';
  const proven = `${result.summary.proven} migration(s) proven (${result.mode} mode)`;
  const replayed = result.summary.replayed > 0 ? `, ${result.summary.replayed} replayed` : '';
  const seconds = (result.durationMs / 1000).toFixed(1);
  const mismatch = releaseMismatch(result);
  const engine =
    mismatch !== undefined
      ? `; ${mismatch}`
      : result.provenOn === undefined
        ? ''
        : `; proven on ${proofEngineWords(result.provenOn)}`;
  return `${verdict}: ${proven}${replayed}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}${riskSummary(result)}${dataSummary(result)} in ${seconds} s on ${result.database}${engine}`;
}

/** `; 2 open risks (1 error), 1 acknowledged`, or nothing when no migration has a risk. */
function riskSummary(result: CheckResult): string {
  const counts = result.migrations.map(riskCounts).filter((count) => count !== undefined);
  const open = counts.reduce((sum, count) => sum + count.open, 0);
  const errors = result.migrations
    .flatMap((migration) => migration.risks ?? [])
    .filter((risk) => risk.acknowledged === undefined && risk.severity === 'error').length;
  const acknowledged = counts.reduce((sum, count) => sum + count.acknowledged, 0);
  const notices = counts.reduce((sum, count) => sum + count.notices, 0);
  if (open + notices + acknowledged === 0) return '';
  const parts = [`${open} open risk(s)${errors > 0 ? ` (${errors} error)` : ''}`];
  if (notices > 0) parts.push(`${notices} notice(s)`);
  if (acknowledged > 0) parts.push(`${acknowledged} acknowledged`);
  return `; ${parts.join(', ')}`;
}
