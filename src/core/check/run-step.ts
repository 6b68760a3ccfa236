import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';
import type { Migration } from '../migrations/migration.ts';

/** Which way a migration runs. */
export type Direction = 'up' | 'down';

/** The outcome of running one direction of one migration. */
export type StepOutcome =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly ms: number; readonly error: unknown };

/**
 * Runs one direction of a migration, in its own transaction where the engine has
 * transactional DDL (Postgres) and the migration did not opt out, so a failure leaves the
 * database as it was before the step. MySQL/MariaDB commit DDL implicitly: there a failure
 * can leave the step half done, and the caller must restore the state.
 */
export async function runStep(
  db: Kysely<any>,
  dialect: DialectName,
  migration: Migration,
  direction: Direction,
): Promise<StepOutcome> {
  const step = direction === 'up' ? migration.up : migration.down;
  if (step === undefined) throw new Error(`${migration.name} has no ${direction}`);
  const started = performance.now();
  try {
    if (runsInTransaction(dialect, migration)) await db.transaction().execute((trx) => step(trx));
    else await step(db);
    return { ok: true, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, ms: performance.now() - started, error };
  }
}

/** Whether a failed step of this migration is rolled back by the engine. */
export function runsInTransaction(dialect: DialectName, migration: Migration): boolean {
  return dialect === 'postgres' && migration.transactional;
}
