import { escapeMarkdown } from './markdown-escape.ts';
import type { RollbackResult } from '../../model/rollback-result.ts';
import type { ApplyFailure, ApplyResult } from '../../model/apply-result.ts';
import { recoveryLines, refusalLines } from './refusal-and-failure-lines.ts';
import { downPlanLines, upPlanLines } from './change-plan.ts';

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

function isRollback(result: ChangeResult): result is RollbackResult {
  return 'rolledBack' in result;
}

/**
 * An apply or rollback for a terminal: what would run on a dry run (behind which guards and
 * backup), what was refused or failed, how to recover, the summary. Each migration's line is
 * not repeated here: the flows print it as it runs (changeStepLine), and rollback prints its
 * plan before its downs run.
 */
export function renderChangeText(result: ChangeResult): string {
  const lines: string[] = [];
  const ran = result.outcome === 'rolled-back' || result.outcome === 'failed';
  if (isRollback(result) && !ran) lines.push(...downPlanLines(result.plan));
  if (!isRollback(result) && result.plan !== undefined) lines.push(...upPlanLines(result.plan));
  if (result.dryRun === true && result.refusal === undefined) lines.push(...guardLines(result));
  if (result.plannedBackup !== undefined) lines.push(`backup: would take ${result.plannedBackup}`);
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
  if (result.dryRun === true && result.refusal === undefined) {
    const plan = isRollback(result)
      ? result.plan.map((down) => `down of \`${down.name}\``)
      : (result.plan ?? []).map((up) => `up of \`${up.name}\``);
    lines.push('', '**Plan** (dry run, rehearsed on a throwaway):', '', ...plan.map((step) => `- ${step}`));
    if (result.plannedBackup !== undefined)
      lines.push('', `Backup a real run takes first: ${escapeMarkdown(result.plannedBackup)}`);
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
    ...failure.ranStatements.map((sql, i) => `  ran ${i + 1}: ${sql}`),
    ...(failure.notRunStatements ?? []).map(
      (sql, i) => `  not run ${failure.ranStatements.length + i + 1}: ${sql}`,
    ),
    ...recoveryLines(failure),
  ];
}

/** What a dry run's guards found: a plan is only as good as the checks it passed. */
function guardLines(result: ChangeResult): string[] {
  if (isRollback(result)) {
    return [`guards: checksums match, ${result.plan.length} down(s) rehearsed on a throwaway`];
  }
  const proven = result.proof?.migrations.length;
  return [
    'guards: every applied migration matches its checksum' +
      (result.adopted.length === 0 ? '' : ` (${result.adopted.length} to adopt)`),
    result.drift === undefined ? 'guards: drift not compared (allow-drift)' : 'guards: no drift',
    proven === undefined
      ? 'guards: proof not run (require-reversible false)'
      : `guards: ${proven} pending migration(s) proven reversible on a throwaway`,
  ];
}

function summary(result: ChangeResult): string {
  const where = `${result.database} at ${result.current ?? 'no migration'}`;
  const dry = result.dryRun === true ? ' (dry run: nothing changed)' : '';
  if (isRollback(result)) {
    const count =
      result.dryRun === true
        ? `${result.plan.length} to roll back`
        : `${result.rolledBack.length} rolled back`;
    return `${result.outcome}${dry}: ${count} in ${result.durationMs} ms; ${where}`;
  }
  const count =
    result.dryRun === true ? `${result.plan?.length ?? 0} to apply` : `${result.applied.length} applied`;
  return `${result.outcome}${dry}: ${count}, ${result.pendingCount} pending, in ${result.durationMs} ms; ${where}`;
}
