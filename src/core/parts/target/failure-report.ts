import { redactSecrets } from '../database/redaction.ts';
import { messageOf } from '../../model/errors.ts';
import type { ApplyFailure } from '../../model/apply-result.ts';
import type { StepFailure } from './target-run.ts';
import { DEFAULT_MIGRATION_TABLE } from './applied-migrations.ts';
import { statementsNotRun, waysForward } from './half-applied.ts';
import { PROGRESS_TABLE } from '../migrations/bookkeeping-tables.ts';

/** What says which statements of a migration stopped half-way did not run, and how to mark it. */
export interface HalfWay {
  /** The statements it was expected to send; empty when not rehearsed. */
  readonly planned: readonly string[];
  readonly migrationTable: string;
}

/**
 * Puts a failed migration into words: which statement the target refused, what of the
 * migration stays applied, and the command that undoes this run. `before` is the last
 * migration applied before an apply, so rolling back to it undoes everything the run did.
 * `wholeRunUndone`: the run was one transaction, so its rollback took every migration of it.
 */
export function describeFailure(
  step: StepFailure,
  before: string | undefined,
  backupPath?: string,
  wholeRunUndone = false,
  halfWay: HalfWay = { planned: [], migrationTable: DEFAULT_MIGRATION_TABLE },
): ApplyFailure {
  const failedIndex = step.statements.findIndex((statement) => statement.failed === true);
  const ran = step.transactional ? [] : step.statements.filter((s) => s.failed !== true).map((s) => s.sql);
  const notRun = step.transactional ? undefined : statementsNotRun(halfWay.planned, ran.length);
  const what = step.direction === 'up' ? step.name : `the down of ${step.name}`;
  const untouched = step.direction === 'up' ? 'nothing of it is applied' : `${step.name} stays applied`;
  const state = wholeRunUndone
    ? `the whole run was one transaction and was rolled back: nothing of it is applied, the target is still at ${before ?? 'no migration'}`
    : step.transactional
      ? `${what} was rolled back: ${untouched}`
      : ran.length === 0
        ? `${what} ran no statement before failing: ${untouched}`
        : `${ran.length} statement(s) of ${what} ran and stay (no transaction undid them)` +
          (notRun === undefined ? '' : `, ${notRun.length} did not run`) +
          `; Kysely's table still records ${step.name} as ${step.direction === 'up' ? 'pending' : 'applied'}, ` +
          `and ${PROGRESS_TABLE} records it as stopped half-way: the next run refuses until it is resolved`;
  const rollback = `migration-gate rollback --to ${before ?? '0'}`;
  const restore = backupPath === undefined ? '' : `, or restore the backup ${backupPath}`;
  const recovery =
    step.direction === 'down'
      ? `fix the down of ${step.name} and roll back again; \`migration-gate apply\` re-applies what this run rolled back${restore}`
      : wholeRunUndone
        ? `fix ${step.name} and apply again: nothing of this run needs undoing`
        : ran.length === 0
          ? `fix ${step.name} and apply again; \`${rollback}\` undoes what this run applied before it${restore}`
          : [
              ...waysForward(step.name, step.direction, halfWay.migrationTable, backupPath),
              `then \`${rollback}\` undoes what this run applied before it (its down assumes its whole up ran)`,
            ].join('; ');
  return {
    migration: step.name,
    message: redactSecrets(messageOf(step.error)),
    ...(failedIndex === -1
      ? {}
      : { statement: { index: failedIndex + 1, sql: step.statements[failedIndex]!.sql } }),
    transactional: step.transactional,
    ranStatements: ran,
    ...(notRun === undefined || ran.length === 0 ? {} : { notRunStatements: notRun }),
    state,
    recovery,
  };
}
