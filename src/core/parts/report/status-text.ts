import type { StatusResult } from '../../model/status-result.ts';

/** The status for a terminal, one fact per line. */
export function renderStatusText(result: StatusResult): string {
  const lines = [
    `target ${result.database}: ${result.applied.length} applied, ${result.pending.length} pending`,
    `current: ${result.applied.at(-1) ?? '(none)'}`,
    ...result.pending.map((name) => `pending ${name}`),
    ...result.unknown.map((name) => `UNKNOWN ${name}: applied on the target, missing from the migrations`),
    ...result.checksumMismatches.map((m) => `EDITED ${m.message}`),
    ...result.drift.map((change) => `DRIFT ${change}`),
    ...(result.unrecorded.length === 0
      ? []
      : [
          `${result.unrecorded.length} applied migration(s) have no checksum yet: the next apply records them`,
        ]),
    result.ok ? 'status: ok' : 'status: the target needs attention before the next apply',
  ];
  return lines.join('\n');
}

/** The status for machines. */
export function renderStatusJson(result: StatusResult): string {
  return JSON.stringify({ version: 1, ...result }, null, 2);
}
