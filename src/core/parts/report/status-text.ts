import type { StatusResult } from '../../model/status-result.ts';
import { problemLines } from './refusal-and-failure-lines.ts';

/** The status for a terminal, one fact per line; each migration with when it was applied. */
export function renderStatusText(result: StatusResult): string {
  const width = Math.max(0, ...result.migrations.map((m) => m.name.length));
  const last = result.lastApplied;
  const lines = [
    `target ${result.database}: ${result.total} migration(s), ${result.applied.length} applied, ${result.pending.length} pending`,
    `current: ${last === undefined ? '(none)' : `${last.name} (applied ${last.appliedAt})`}`,
    ...result.migrations.map((m) =>
      m.appliedAt === undefined ? `pending ${m.name}` : `applied ${m.name.padEnd(width)}  ${m.appliedAt}`,
    ),
    ...(result.halfApplied === undefined ? [] : problemLines('HALF-APPLIED', result.halfApplied)),
    ...result.unknown.map((name) => `UNKNOWN ${name}: applied on the target, missing from the migrations`),
    ...result.checksumMismatches.map((m) => `EDITED ${m.message}`),
    ...result.drift.map((change) => `DRIFT ${change}`),
    ...(result.unrecorded.length === 0
      ? []
      : [
          `${result.unrecorded.length} applied migration(s) have no checksum yet: the next apply records them`,
        ]),
    verdict(result),
  ];
  return lines.join('\n');
}

/** The status for machines. */
export function renderStatusJson(result: StatusResult): string {
  return JSON.stringify({ version: 1, ...result }, null, 2);
}

function verdict(result: StatusResult): string {
  if (result.ok) return 'status: ok';
  const problems =
    result.halfApplied !== undefined ||
    result.checksumMismatches.length + result.drift.length + result.unknown.length > 0;
  return problems
    ? 'status: the target needs attention before the next apply'
    : `status: ${result.pending.length} pending (fail-on-pending)`;
}
