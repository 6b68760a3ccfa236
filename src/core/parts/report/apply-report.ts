import { escapeMarkdown } from './markdown-escape.ts';
import type { RollbackResult } from '../../model/rollback-result.ts';
import type { ApplyFailure, ApplyResult } from '../../model/apply-result.ts';
import { recoveryLines, refusalLines } from './refusal-and-failure-lines.ts';

/** What apply and rollback share in a report. */
type ChangeResult = ApplyResult | RollbackResult;

/**
 * The line of one migration applied or rolled back, e.g. `applied 0002_posts (18 ms, 2 attempts)`,
 * printed as it happens (the text report does not repeat it).
 */
export function changeStepLine(
  verb: 'applied' | 'rolled back',
  step: { readonly name: string; readonly durationMs: number; readonly attempts: number },
): string {
  const retried = step.attempts > 1 ? `, ${step.attempts} attempts` : '';
  return `${verb} ${step.name} (${step.durationMs} ms${retried})`;
}

/**
 * An apply or rollback for a terminal: what was refused or failed, how to recover, the summary.
 * Each migration's line is not repeated here: the flows print it as it runs (changeStepLine).
 */
export function renderChangeText(result: ChangeResult): string {
  const lines: string[] = [];
  if ('plan' in result) {
    for (const down of result.plan) {
      lines.push(`plan: down of ${down.name}`, ...down.statements.map((s) => `  ${s.sql}`));
    }
  }
  if ('adopted' in result && result.adopted.length > 0) {
    lines.push(`adopted ${result.adopted.length} migration(s) Kysely's Migrator applied: checksums recorded`);
  }
  if (result.refusal !== undefined) lines.push(...refusalLines(result.refusal));
  if (result.failure !== undefined) lines.push(...failureLines(result.failure));
  if (result.backup !== undefined) lines.push(`backup: ${result.backup.path}`);
  lines.push('', summary(result));
  return lines.join('\n');
}

/** The same as markdown, for a job summary. */
export function renderChangeMarkdown(result: ChangeResult): string {
  const lines = [`### ${result.ok ? '✅' : '❌'} ${escapeMarkdown(summary(result))}`, ''];
  if (result.migrations.length > 0) {
    lines.push('| migration | ms | attempts |', '| --- | ---: | ---: |');
    for (const m of result.migrations) lines.push(`| \`${m.name}\` | ${m.durationMs} | ${m.attempts} |`);
  }
  const problems = [
    ...(result.refusal === undefined ? [] : refusalLines(result.refusal)),
    ...(result.failure === undefined ? [] : failureLines(result.failure)),
  ];
  if (problems.length > 0) lines.push('', ...problems.map((line) => `- ${escapeMarkdown(line.trim())}`));
  return lines.join('\n');
}

/** The result for machines. */
export function renderChangeJson(result: ChangeResult): string {
  return JSON.stringify({ version: 1, ...result }, null, 2);
}

function failureLines(failure: ApplyFailure): string[] {
  return [
    `FAILED ${failure.migration}: ${failure.message}`,
    ...(failure.statement === undefined
      ? []
      : [`  statement ${failure.statement.index}: ${failure.statement.sql}`]),
    ...recoveryLines(failure),
  ];
}

function summary(result: ChangeResult): string {
  const where = `${result.database} at ${result.current ?? 'no migration'}`;
  if ('plan' in result) {
    return `${result.outcome}: ${result.rolledBack.length} rolled back in ${result.durationMs} ms; ${where}`;
  }
  return `${result.outcome}: ${result.applied.length} applied, ${result.pendingCount} pending, in ${result.durationMs} ms; ${where}`;
}
