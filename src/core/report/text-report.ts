import type { CheckResult, MigrationResult, MigrationStatus } from '../check/result.ts';
import { MIGRATION_STATUSES } from '../check/result.ts';

const STATUS_WORDS: Readonly<Record<MigrationStatus, string>> = {
  reversible: 'reversible',
  'not-reversible': 'not reversible',
  'missing-down': 'missing down',
  'declared-irreversible': 'declared irreversible',
  error: 'error',
};

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
  return `${STATUS_MARKS[result.status]} ${result.name}  ${words}${detail}`;
}

/** The details under a migration line: residue, notes. */
export function migrationDetails(result: MigrationResult): string[] {
  return [
    ...(result.residue ?? []).map((item) => `       - ${item}`),
    ...(result.notes ?? []).map((note) => `       note: ${note}`),
  ];
}

/** The whole check as terminal text: a line per migration, details of failures, a summary. */
export function renderCheckText(result: CheckResult): string {
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
  lines.push('', summaryLine(result));
  return lines.join('\n');
}

/** `7 migrations: 6 reversible, 1 not reversible (3.2 s on embedded PGlite ...)`. */
export function summaryLine(result: CheckResult): string {
  const counts = MIGRATION_STATUSES.filter((status) => result.summary[status] > 0).map(
    (status) => `${result.summary[status]} ${STATUS_WORDS[status]}`,
  );
  const verdict = result.ok ? 'PASSED' : 'FAILED';
  const proven = `${result.summary.proven} migration(s) proven (${result.mode} mode)`;
  const replayed = result.summary.replayed > 0 ? `, ${result.summary.replayed} replayed` : '';
  const seconds = (result.durationMs / 1000).toFixed(1);
  return `${verdict}: ${proven}${replayed}${counts.length > 0 ? `: ${counts.join(', ')}` : ''} in ${seconds} s on ${result.database}`;
}
