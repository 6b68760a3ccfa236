import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { Outcome } from '../../model/outcome.ts';
import type { Migration, MigrationStep } from './migration.ts';
import { reasonToLeaveTransaction } from './outside-transaction.ts';

/** Which way a migration runs. */
export type Direction = 'up' | 'down';

/**
 * The outcome of running one direction of one migration: timed either way, the error when it
 * threw, and why it ran outside its transaction when it had to be moved out of one.
 */
export type StepOutcome = Outcome<
  { readonly ms: number; readonly outsideTransaction?: string },
  { readonly ms: number; readonly error: unknown; readonly outsideTransaction?: string }
>;

/**
 * Watches one run of a step (the plan's SQL capture and observed facts): it is told exactly
 * when the step's own statements begin and end, so that the tool's queries around the step
 * (BEGIN, COMMIT, snapshots) are never taken for the migration's, and it may read the
 * database right before the step and right after it, before COMMIT.
 */
export interface StepObserver {
  /** Before the step, outside its transaction. */
  beforeStep(db: Kysely<any>): Promise<void>;
  /** The step's first statement is next. */
  stepStarted(): void;
  /** The step returned or threw: nothing after this is its own. */
  stepEnded(): void;
  /**
   * After the step returned, on its connection: inside its transaction, before COMMIT, when it
   * has one. Must not throw nor leave the transaction failed: that would undo the step.
   */
  afterStep(db: Kysely<any>, inTransaction: boolean): Promise<void>;
}

/**
 * Runs one direction of a migration, in its own transaction where the engine has
 * transactional DDL (Postgres) and the migration did not opt out, so a failure leaves the
 * database as it was before the step. MySQL/MariaDB commit DDL implicitly: there a failure
 * can leave the step half done, and the caller must restore the state. A step the transaction
 * refused (it opens its own, or a statement cannot run in one: see reasonToLeaveTransaction)
 * runs again outside it, as its author meant. The time an observer spends reading is not part
 * of the step's time.
 */
export async function runStep(
  db: Kysely<any>,
  dialect: DialectName,
  migration: Migration,
  direction: Direction,
  observer?: StepObserver,
): Promise<StepOutcome> {
  const step = direction === 'up' ? migration.up : migration.down;
  if (step === undefined) throw new Error(`${migration.name} has no ${direction}`);
  await observer?.beforeStep(db);
  const first = await attempt(db, step, runsInTransaction(dialect, migration), observer);
  if (first.ok || !first.inTransaction) return first;
  const outsideTransaction = reasonToLeaveTransaction(first.error);
  if (outsideTransaction === undefined) return first;
  return { ...(await attempt(db, step, false, observer)), outsideTransaction };
}

async function attempt(
  db: Kysely<any>,
  step: MigrationStep,
  inTransaction: boolean,
  observer: StepObserver | undefined,
): Promise<StepOutcome & { readonly inTransaction: boolean }> {
  let observing = 0;
  const body = async (connection: Kysely<any>) => {
    observer?.stepStarted();
    try {
      await step(connection);
    } finally {
      observer?.stepEnded();
    }
    if (observer === undefined) return;
    const started = performance.now();
    await observer.afterStep(connection, inTransaction);
    observing += performance.now() - started;
  };
  const started = performance.now();
  try {
    if (inTransaction) await db.transaction().execute(body);
    else await body(db);
    return { ok: true, ms: performance.now() - started - observing, inTransaction };
  } catch (error) {
    return { ok: false, ms: performance.now() - started - observing, error, inTransaction };
  }
}

/** Whether a failed step of this migration is rolled back by the engine. */
export function runsInTransaction(dialect: DialectName, migration: Migration): boolean {
  return dialect === 'postgres' && migration.transactional;
}
