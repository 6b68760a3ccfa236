import { escapeMarkdown } from './markdown-escape.ts';
import type { RestoreFailure, RestoreResult } from '../../model/restore-result.ts';
import { recoveryLines, refusalLines } from './refusal-and-failure-lines.ts';

/** A restore for a terminal: what was restored, refused or failed, and how to recover. */
export function renderRestoreText(result: RestoreResult): string {
  const lines = [...problemLines(result)];
  for (const difference of result.differences) lines.push(`differs from the backup: ${difference}`);
  if (result.backup !== undefined) lines.push(`fresh backup: ${result.backup.path}`);
  lines.push('', summary(result));
  return lines.join('\n');
}

/** The same as markdown, for a job summary. */
export function renderRestoreMarkdown(result: RestoreResult): string {
  const lines = [`### ${result.ok ? '✅' : '❌'} ${escapeMarkdown(summary(result))}`, ''];
  const items = [
    ...problemLines(result).map((line) => line.trim()),
    ...result.differences.map((difference) => `differs from the backup: ${difference}`),
    ...(result.backup === undefined ? [] : [`fresh backup: ${result.backup.path}`]),
  ];
  lines.push(...items.map((line) => `- ${escapeMarkdown(line)}`));
  return lines.join('\n');
}

/** The result for machines. */
export function renderRestoreJson(result: RestoreResult): string {
  return JSON.stringify({ version: 1, ...result }, null, 2);
}

function problemLines(result: RestoreResult): string[] {
  return [
    ...(result.refusal === undefined ? [] : refusalLines(result.refusal)),
    ...(result.failure === undefined ? [] : failureLines(result.failure)),
  ];
}

function failureLines(failure: RestoreFailure): string[] {
  return [
    `FAILED: ${failure.message}`,
    ...failure.details.map((detail) => `  ${detail}`),
    ...recoveryLines(failure),
  ];
}

function summary(result: RestoreResult): string {
  const at = `now at ${result.current ?? 'no migration'}`;
  if (result.outcome === 'refused') return `refused: nothing restored into ${result.database}`;
  if (result.outcome === 'failed') return `failed: restoring ${result.from} into ${result.database}; ${at}`;
  return `restored: ${result.from} into ${result.database} in ${result.durationMs} ms; ${at}`;
}
