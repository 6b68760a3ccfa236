import type { CheckResult } from '../../model/check-result.ts';
import type { HistoryProblem } from '../../model/history-problem.ts';
import type { MigrationResult, ReplayResult } from '../../model/migration-result.ts';
import type { TargetStatus } from '../../model/target-status.ts';
import { tableSizeWords } from './table-size-words.ts';
import { PASSING_STATUSES } from '../../model/migration-result.ts';
import { code, escapeMarkdown } from './markdown-escape.ts';
import { proofEngineWords } from './proof-engine-words.ts';
import { riskCounts, SEVERITY_MARKS } from './risk-counts.ts';
import { STATUS_WORDS } from './status-words.ts';
import { failsOnRows } from './data-finding-words.ts';

/** The most names a list shows before it says "and N more": the overview must stay short. */
const LISTED_NAMES = 10;
/** The most drift items listed. */
const LISTED_DRIFT = 20;

const HISTORY_WORDS: Readonly<Record<HistoryProblem['kind'], string>> = {
  modified: 'merged migration modified',
  deleted: 'merged migration deleted',
  'out-of-order': 'out of order',
};

/**
 * History problems as a GitHub alert, so they stand out above the table: each fails the gate
 * whatever the proof says.
 */
export function historyMarkdown(problems: readonly HistoryProblem[]): string | undefined {
  if (problems.length === 0) return undefined;
  const items = problems.map((problem) => {
    const rename = problem.suggestedName === undefined ? '' : `; rename it to ${code(problem.suggestedName)}`;
    return `> - **${HISTORY_WORDS[problem.kind]}** ${code(problem.name)}: ${escapeMarkdown(problem.message)}${rename} (${escapeMarkdown(problem.file)})`;
  });
  return ['> [!CAUTION]', '> **This change edits the migration history.**', ...items].join('\n');
}

/** Merged migrations that failed to replay, as an alert: the history itself no longer runs. */
export function replayFailuresMarkdown(replayed: readonly ReplayResult[]): string | undefined {
  const failed = replayed.filter((replay) => replay.status === 'error');
  if (failed.length === 0) return undefined;
  const items = failed.map(
    (replay) =>
      `> - ${code(replay.name)} (${escapeMarkdown(location(replay.file, replay.line))}): ${escapeMarkdown(replay.message ?? 'failed')}`,
  );
  return ['> [!CAUTION]', '> **A merged migration fails to replay.**', ...items].join('\n');
}

/** One line about the merged migrations replayed before the new ones. */
export function replayLine(replayed: readonly ReplayResult[]): string | undefined {
  if (replayed.length === 0) return undefined;
  const failed = replayed.filter((replay) => replay.status === 'error').length;
  const total = replayed.reduce((sum, replay) => sum + replay.durationMs, 0);
  const noun = `merged migration${replayed.length === 1 ? '' : 's'}`;
  return `${replayed.length} ${noun} replayed in ${formatMs(total)}${failed > 0 ? `, ${failed} failed` : ''}.`;
}

/** The table a reviewer scans: one row per migration under proof. */
export function migrationTable(migrations: readonly MigrationResult[]): string | undefined {
  if (migrations.length === 0) return undefined;
  const rows = migrations.map(
    (migration) =>
      `| ${nameCell(migration)} | ${statusCell(migration)} | ${risksCell(migration)} | ${migration.statements?.up.length ?? '—'} | ${timeCell(migration)} |`,
  );
  return [
    '| Migration | Reversible | Risks | Statements | Time |',
    '| --- | --- | --- | ---: | ---: |',
    ...rows,
  ].join('\n');
}

/** `✅ reversible`, `❌ not reversible`, `✅ reversible · 🛑 fails on existing rows`. */
export function statusCell(migration: MigrationResult): string {
  const rows = failsOnRows(migration) ? ' · 🛑 fails on existing rows' : '';
  return `${PASSING_STATUSES.has(migration.status) ? '✅' : '❌'} ${STATUS_WORDS[migration.status]}${rows}`;
}

/** `🛑 2 + ℹ️ 1 + 1 acknowledged`, `none`, `—` when not judged. */
function risksCell(migration: MigrationResult): string {
  const counts = riskCounts(migration);
  if (counts === undefined) return '—';
  const parts = [
    ...(counts.worst !== undefined ? [`${SEVERITY_MARKS[counts.worst]} ${counts.open}`] : []),
    ...(counts.notices > 0 ? [`${SEVERITY_MARKS.notice} ${counts.notices}`] : []),
    ...(counts.acknowledged > 0 ? [`${counts.acknowledged} acknowledged`] : []),
  ];
  return parts.length === 0 ? 'none' : parts.join(' + ');
}

/** The name, marked when its author declares it a breaking change. */
function nameCell(migration: MigrationResult): string {
  return migration.meta?.breaking === true ? `${code(migration.name)} 💥 **breaking**` : code(migration.name);
}

/** Up, down and up again on the throwaway database, together; the author's estimate beside it. */
function timeCell(migration: MigrationResult): string {
  const { timings, meta } = migration;
  const steps = [timings.up, timings.down, timings.upAgain].filter((ms) => ms !== undefined);
  const measured = steps.length === 0 ? '—' : formatMs(steps.reduce((sum, ms) => sum + ms, 0));
  return meta?.estimatedDurationMs === undefined
    ? measured
    : `${measured} (est. ${formatMs(meta.estimatedDurationMs)})`;
}

/** What the target database says: pending, unknown, drift, or why it could not be read. */
export function targetMarkdown(target: TargetStatus): string {
  const lines = [`**Target:** ${escapeMarkdown(target.database)}`];
  const read = target.error === undefined || target.applied.length > 0 || target.pending.length > 0;
  if (read) {
    lines.push(
      target.pending.length === 0
        ? `- nothing pending (${target.applied.length} applied)`
        : `- ${target.pending.length} pending (${target.applied.length} applied): ${names(target.pending)}`,
    );
  }
  if (target.unknown.length > 0)
    lines.push(`- ⚠️ applied on the target but not in the migrations folder: ${names(target.unknown)}`);
  if (target.drift !== undefined && target.drift.length === 0)
    lines.push('- no drift: its schema is what its applied migrations make');
  if (target.drift !== undefined && target.drift.length > 0) {
    lines.push(`- ⚠️ drifted from its applied migrations:`);
    lines.push(...target.drift.slice(0, LISTED_DRIFT).map((item) => `  - ${escapeMarkdown(item)}`));
    if (target.drift.length > LISTED_DRIFT) lines.push(`  - and ${target.drift.length - LISTED_DRIFT} more`);
  }
  for (const check of target.rowChecks ?? [])
    lines.push(
      `- ${check.fails ? '❌' : (check.rows ?? 0) > 0 || check.notCounted !== undefined ? '⚠️' : '✅'} ${escapeMarkdown(check.message)} (${code(check.id)})`,
    );
  if (target.tables !== undefined) {
    lines.push('- tables the pending migrations change:');
    lines.push(...target.tables.map((size) => `  - ${escapeMarkdown(tableSizeWords(size))}`));
  }
  if (target.error !== undefined) lines.push(`- ⚠️ ${escapeMarkdown(target.error)}`);
  return lines.join('\n');
}

/** Where and how the proof ran, in small print, under the legend of the risk marks when risks are shown. */
export function footerMarkdown(result: CheckResult): string {
  const engine =
    result.provenOn === undefined ? '' : ` (${escapeMarkdown(proofEngineWords(result.provenOn))})`;
  const proved = `<sub>Proved in ${result.mode} mode on ${escapeMarkdown(result.database)}${engine} in ${formatMs(result.durationMs)}.</sub>`;
  const risky = result.migrations.some((migration) => (migration.risks ?? []).length > 0);
  return risky ? `${RISK_LEGEND}\n\n${proved}` : proved;
}

/**
 * What the risk marks mean, under a report that shows risks. The severities mean the same in
 * the CLI and the action: `fail-on` fails on errors (and on warnings with `fail-on: warning`),
 * never on notices.
 */
const RISK_LEGEND = `<sub>${SEVERITY_MARKS.error} error: fails \`fail-on: error\` · ${SEVERITY_MARKS.warning} warning: fails \`fail-on: warning\` · ${SEVERITY_MARKS.notice} notice: advice, never fails · ☑️ acknowledged by the migration</sub>`;

/** `12 ms`, `3.4 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `file:line`, or the file alone. */
export function location(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, LISTED_NAMES).map(code).join(', ');
  return list.length > LISTED_NAMES ? `${shown} and ${list.length - LISTED_NAMES} more` : shown;
}
