import type { CheckResult } from '../../model/check-result.ts';
import type { DataFinding } from '../../model/data-finding.ts';
import type { MigrationResult } from '../../model/migration-result.ts';
import { code, escapeMarkdown } from './markdown-escape.ts';

/**
 * A data finding as the terminal shows it, under its migration's line, e.g.
 * `       data (error) fails-on-existing-rows: up of 0042 fails when the tables hold rows ...`,
 * then the rows in words, the statement, the engine's error and the safer way.
 */
export function dataFindingLines(finding: DataFinding): string[] {
  return [
    `       data (${finding.severity}) ${finding.id}: ${finding.what}`,
    ...(finding.rows === undefined ? [] : [`           rows: ${finding.rows}`]),
    ...(finding.statement === undefined ? [] : [`           statement: ${oneLine(finding.statement)}`]),
    ...(finding.error === undefined ? [] : [`           error: ${finding.error}`]),
    ...(finding.instead === undefined ? [] : [`           instead: ${finding.instead}`]),
  ];
}

/** The data findings of a migration as a markdown list, or undefined when it has none. */
export function dataFindingsMarkdown(findings: readonly DataFinding[] | undefined): string | undefined {
  if (findings === undefined || findings.length === 0) return undefined;
  const items = findings.map((finding) =>
    [
      `- ${finding.severity === 'error' ? '🛑' : '⚠️'} ${code(finding.id)}: ${escapeMarkdown(finding.what)}`,
      ...(finding.rows === undefined ? [] : [`  - rows: ${escapeMarkdown(finding.rows)}`]),
      ...(finding.statement === undefined ? [] : [`  - statement: ${code(oneLine(finding.statement))}`]),
      ...(finding.error === undefined ? [] : [`  - error: ${escapeMarkdown(finding.error)}`]),
      ...(finding.instead === undefined ? [] : [`  - instead: ${escapeMarkdown(finding.instead)}`]),
    ].join('\n'),
  );
  return ['**With rows in the tables:**', ...items].join('\n');
}

/** Whether a migration has a data finding that fails the gate at the default level. */
export function failsOnRows(migration: MigrationResult): boolean {
  return (migration.dataFindings ?? []).some((finding) => finding.severity === 'error');
}

/** `; 2 data finding(s) (1 error)`, or nothing when the proof with rows found nothing. */
export function dataSummary(result: CheckResult): string {
  const findings = result.migrations.flatMap((migration) => migration.dataFindings ?? []);
  if (findings.length === 0) return '';
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return `; ${findings.length} data finding(s)${errors > 0 ? ` (${errors} error)` : ''}`;
}

/** Every data finding of a check with its migration's name, for machines (the action's output). */
export function dataFindingList(
  result: CheckResult,
): { readonly migration: string; readonly id: string; readonly severity: string; readonly what: string }[] {
  return result.migrations.flatMap((migration) =>
    (migration.dataFindings ?? []).map((finding) => ({
      migration: migration.name,
      id: finding.id,
      severity: finding.severity,
      what: finding.what,
    })),
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
