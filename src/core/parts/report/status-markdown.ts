import type { StatusResult } from '../../model/status-result.ts';
import { escapeMarkdown } from './markdown-escape.ts';

/** The status of a target as markdown, for a job summary or a comment. */
export function renderStatusMarkdown(result: StatusResult): string {
  const lines = [
    `### ${result.ok ? '✅' : '❌'} ${escapeMarkdown(result.database)}`,
    '',
    `| migrations | applied | pending | current | applied at |`,
    `| ---: | ---: | ---: | --- | --- |`,
    `| ${result.total} | ${result.applied.length} | ${result.pending.length} | ${code(result.lastApplied?.name ?? 'none')} | ${result.lastApplied?.appliedAt ?? ''} |`,
  ];
  if (result.halfApplied !== undefined) {
    const { message, details } = result.halfApplied;
    lines.push(
      '',
      `**Stopped half-way:** ${escapeMarkdown(message)}`,
      '',
      ...details.map((d) => `- ${escapeMarkdown(d)}`),
    );
  }
  section(lines, 'Pending', result.pending.map(code));
  section(
    lines,
    'Edited after they were applied',
    result.checksumMismatches.map((m) => escapeMarkdown(m.message)),
  );
  section(lines, 'Drift', result.drift.map(escapeMarkdown));
  section(lines, 'Applied but missing from the migrations', result.unknown.map(code));
  section(lines, 'Without a checksum yet (the next apply records them)', result.unrecorded.map(code));
  return lines.join('\n');
}

function section(lines: string[], title: string, items: readonly string[]): void {
  if (items.length === 0) return;
  lines.push('', `**${title}**`, '', ...items.map((item) => `- ${item}`));
}

function code(name: string): string {
  return `\`${name.replaceAll('`', '')}\``;
}
