import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { Outcome } from '../../model/outcome.ts';
import type { Migration } from './migration.ts';
import type { SqlStatement } from './split-sql.ts';
import { runsInTransaction } from './run-step.ts';

/**
 * At most this many migrations share one replay transaction: every relation a migration
 * creates stays locked until COMMIT, and Postgres's lock table is small
 * (max_locks_per_transaction).
 */
const REPLAY_BATCH_SIZE = 100;

/**
 * Splits migrations to replay into batches that may share one transaction: on Postgres, runs
 * of consecutive migrations that each run in a transaction; every other migration alone.
 * One transaction per batch instead of one per migration is what makes replaying a long
 * merged history cheap (as Kysely's Migrator, which runs all pending migrations in one).
 */
export function replayBatches(dialect: DialectName, migrations: readonly Migration[]): Migration[][] {
  const batches: Migration[][] = [];
  let current: Migration[] = [];
  for (const migration of migrations) {
    if (!runsInTransaction(dialect, migration)) {
      if (current.length > 0) batches.push(current);
      batches.push([migration]);
      current = [];
      continue;
    }
    current.push(migration);
    if (current.length === REPLAY_BATCH_SIZE) {
      batches.push(current);
      current = [];
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The outcome of a batch run in one transaction: each migration's time, or a batch rolled back
 * whole. The failure is among `batch[from..to)`: the migration whose up threw, the run of SQL
 * migrations sent as one text, or, when COMMIT failed (a deferred constraint), any of them.
 */
export type BatchOutcome = Outcome<
  { readonly ms: readonly number[] },
  { readonly from: number; readonly to: number; readonly error: unknown }
>;

/**
 * Runs the ups of a batch, in order, in one transaction. Consecutive SQL migrations go to the
 * server as one text, in one round trip (their statements are known, and the driver's work
 * per statement would otherwise cost about a third of the replay); they share its time
 * equally. Other migrations run their own code, timed each.
 */
export async function runBatch(db: Kysely<any>, batch: readonly Migration[]): Promise<BatchOutcome> {
  const ms: number[] = [];
  let running = { from: 0, to: batch.length };
  try {
    await db.transaction().execute(async (trx) => {
      for (const part of partsOf(batch)) {
        running = { from: part.from, to: part.to };
        const started = performance.now();
        if (part.text === undefined) await batch[part.from]!.up(trx);
        else if (part.text !== '') await sql.raw(part.text).execute(trx);
        const each = (performance.now() - started) / (part.to - part.from);
        for (let index = part.from; index < part.to; index++) ms.push(each);
      }
      running = { from: 0, to: batch.length };
    });
    return { ok: true, ms };
  } catch (error) {
    return { ok: false, ...running, error };
  }
}

/** The batch cut into runs of SQL migrations (as one text each) and single other migrations. */
function partsOf(batch: readonly Migration[]): { from: number; to: number; text?: string }[] {
  const parts: { from: number; to: number; text?: string }[] = [];
  for (const [index, migration] of batch.entries()) {
    const script = migration.script?.up;
    const last = parts.at(-1);
    if (script === undefined) parts.push({ from: index, to: index + 1 });
    else if (last?.text !== undefined && last.to === index) {
      parts[parts.length - 1] = { ...last, to: index + 1, text: joined(last.text, script) };
    } else parts.push({ from: index, to: index + 1, text: joined('', script) });
  }
  return parts;
}

/** Statements joined into one text; the newline before `;` ends a trailing line comment. */
function joined(text: string, script: readonly SqlStatement[]): string {
  return [text, ...script.map((statement) => statement.sql)].filter((part) => part !== '').join('\n;\n');
}
