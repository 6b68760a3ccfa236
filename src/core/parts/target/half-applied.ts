import type { ApplyRefusal } from '../../model/apply-result.ts';
import { PROGRESS_TABLE } from '../migrations/bookkeeping-tables.ts';
import type { Direction } from '../migrations/run-step.ts';
import type { ProgressRow } from './progress-table.ts';

// A migration that ran outside a transaction and stopped half-way (MySQL/MariaDB commit each
// DDL statement): what ran stays, what did not is missing, and neither its up nor its down
// can be trusted to run now. Said the same when it stops and on every later run.

/**
 * The planned statements that did not run, when the plan is known: those after the `ran`
 * first ones (a migration sends its statements in order, the same on the throwaway).
 */
export function statementsNotRun(planned: readonly string[], ran: number): string[] | undefined {
  return planned.length === 0 ? undefined : planned.slice(ran);
}

/**
 * The ways forward from a migration stopped half-way, exact SQL included: finish it by hand
 * and mark it done, undo by hand what ran, or restore the backup.
 */
export function waysForward(
  name: string,
  direction: Direction,
  migrationTable: string,
  backup: string | undefined,
): string[] {
  const forget = `delete from ${PROGRESS_TABLE} where name = '${name}'`;
  const mark =
    direction === 'up'
      ? `insert into ${migrationTable} (name, timestamp) values ('${name}', '<now, ISO>'); ${forget}`
      : `delete from ${migrationTable} where name = '${name}'; ${forget}`;
  return [
    `finish it by hand: run the statements that did not run, then mark it done: ${mark}`,
    `or undo by hand the statements that ran, then forget the attempt (${forget}), fix ${name} and run again`,
    backup === undefined
      ? 'or restore a backup taken before the run'
      : `or restore the backup taken before the run: migration-gate restore --from ${backup}`,
  ];
}

/**
 * Refuses a run while a migration stopped half-way, naming it, its statements that ran and
 * those that did not, and the ways forward. A row of a migration Kysely's table shows as
 * finished since (marked by hand: an up now applied, a down no longer applied) is not refused.
 */
export function halfAppliedRefusal(
  rows: readonly ProgressRow[],
  applied: readonly string[],
  migrationTable: string,
  consequence: string,
): ApplyRefusal | undefined {
  const appliedSet = new Set(applied);
  const open = rows.filter((row) => appliedSet.has(row.name) === (row.direction === 'down'));
  const first = open[0];
  if (first === undefined) return undefined;
  const what = first.direction === 'up' ? first.name : `the down of ${first.name}`;
  const notRun = statementsNotRun(first.planned, first.ran.length);
  return {
    reason: 'half-applied',
    message:
      `${what} stopped half-way (run by ${first.runBy}, started ${first.startedAt}): ` +
      `${first.ran.length} statement(s) ran and stay, ` +
      (notRun === undefined ? 'the rest did not run' : `${notRun.length} did not run`) +
      `; decide how to go on first: ${consequence}`,
    details: [
      ...first.ran.map((sql, i) => `ran ${i + 1}: ${sql}`),
      ...(first.failed === undefined
        ? []
        : // No refused statement: the migration's own code threw after some ran.
          [
            first.failed.sql === ''
              ? `stopped by: ${first.failed.error}`
              : `refused: ${first.failed.sql} (${first.failed.error})`,
          ]),
      ...(notRun ?? []).map((sql, i) => `not run ${first.ran.length + i + 1}: ${sql}`),
      ...waysForward(first.name, first.direction, migrationTable, first.backup),
      ...open.slice(1).map((row) => `also stopped half-way: ${row.name} (${row.direction})`),
    ],
  };
}
