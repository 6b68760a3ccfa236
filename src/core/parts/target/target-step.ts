import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { CapturedStatement } from '../../model/captured-statement.ts';
import { reasonToLeaveTransaction } from '../migrations/outside-transaction.ts';
import { runsInTransaction } from '../migrations/run-step.ts';
import type { Direction } from '../migrations/run-step.ts';
import type { Migration } from '../migrations/migration.ts';
import { deleteChecksumSql, writeChecksumSql } from './checksum-table.ts';
import { deleteProgressSql, ranSoFarSql, writeProgressSql } from './progress-table.ts';
import type { ProgressRow } from './progress-table.ts';
import { messageOf } from '../../model/errors.ts';
import { redactSecrets } from '../database/redaction.ts';
import { isInterrupted } from '../throwaway/interrupt-cleanup.ts';
import { stoppingWhenInterrupted } from './interrupt-guard.ts';
import { optional } from '../../model/optional.ts';
import { kyselyRowSql } from './kysely-bookkeeping.ts';
import { applyLimits, isLockTimeout, limitsSql } from './session-limits.ts';
import type { Outcome } from '../../model/outcome.ts';
import type { StepRecord, TargetMigratorOptions, TargetStep } from './target-run.ts';

/**
 * The connection holding Kysely's lock, on which one run's migrations go one after another.
 * `open` says a transaction is already begun on it, limits set, for the next migration: the
 * previous one's COMMIT carried its BEGIN, saving a round trip per migration.
 */
export interface TargetSession {
  readonly connection: Kysely<any>;
  readonly options: TargetMigratorOptions;
  /** Kysely's migration table. */
  readonly table: string;
  open: boolean;
}

/** The statements one attempt at a migration sent, and their time. */
export interface Ran {
  readonly statements: readonly CapturedStatement[];
  readonly ms: number;
}

/** What one attempt at a migration did, and what it threw when it failed. */
export type Attempt = Outcome<Ran, Ran & { readonly error: unknown }>;

/**
 * Runs one migration `direction` on the session: in one transaction where the engine has
 * transactional DDL and the migration did not opt out, holding its limits, its body, Kysely's
 * row and its checksum row, all committed together; outside one when the transaction refused
 * it (see reasonToLeaveTransaction). A lock timeout is retried when the
 * failure left nothing behind. `next`, the migration that follows, may have its transaction
 * begun by this one's COMMIT.
 */
export async function runTargetStep(
  session: TargetSession,
  direction: Direction,
  migration: Migration,
  next: Migration | undefined,
): Promise<TargetStep> {
  const { options } = session;
  const attempts = options.attempts ?? 3;
  const backoff =
    options.backoff ?? ((attempt) => new Promise((done) => setTimeout(done, 500 * 2 ** attempt)));
  let transactional = runsInTransaction(options.dialect, migration);
  for (let attempt = 1; ; attempt += 1) {
    let run = transactional
      ? await inTransaction(session, direction, migration, next)
      : await withoutTransaction(session, direction, migration);
    if (!run.ok && transactional && reasonToLeaveTransaction(run.error) !== undefined) {
      // Refused inside the transaction, which rolled back: run it as its author meant, outside.
      transactional = false;
      run = await withoutTransaction(session, direction, migration);
    }
    const record = stepRecord(migration, direction, attempt, run, transactional);
    if (run.ok) return { ok: true, ...record };
    const leftNothing = transactional || record.statements.every((s) => s.failed === true);
    if (!isLockTimeout(run.error) || !leftNothing || attempt >= attempts)
      return { ok: false, ...record, error: run.error };
    await backoff(attempt);
  }
}

async function inTransaction(
  session: TargetSession,
  direction: Direction,
  migration: Migration,
  next: Migration | undefined,
): Promise<Attempt> {
  const { connection, options } = session;
  let run: Attempt = { ok: true, statements: [], ms: 0 };
  try {
    if (!session.open) await beginSql(session).execute(connection);
    session.open = false;
    run = await runBody(session, direction, migration, transactionView(stoppingWhenInterrupted(connection)));
    if (!run.ok) throw run.error;
    const beginsNext = next !== undefined && runsInTransaction(options.dialect, next);
    // One message: Postgres runs them in order and stops at the first refused.
    await sql
      .join(
        [
          ...bookkeepingSql(session, direction, migration),
          sql`commit`,
          ...(beginsNext ? [beginSql(session)] : []),
        ],
        sql`; `,
      )
      .execute(connection);
    session.open = beginsNext;
    return run;
  } catch (error) {
    await sql`rollback`.execute(connection).catch(() => {});
    return { ...run, ok: false, error };
  }
}

/**
 * Runs a migration outside a transaction, its progress recorded statement by statement in the
 * progress table (see progress-table.ts): if it stops half-way, here or by a killed process,
 * the row says what ran and what did not.
 */
async function withoutTransaction(
  session: TargetSession,
  direction: Direction,
  migration: Migration,
): Promise<Attempt> {
  const { connection, options } = session;
  let undoLimits;
  const progress: ProgressRow = {
    name: migration.name,
    direction,
    planned: options.plannedStatements?.get(migration.name) ?? [],
    ran: [],
    startedAt: new Date().toISOString(),
    runBy: options.appliedBy,
    ...optional('backup', options.backupPath),
  };
  try {
    for (const statement of writeProgressSql(progress)) await statement.execute(connection);
    undoLimits = await applyLimits(connection, options.dialect, options.limits, false, options.mariadb);
  } catch (error) {
    return { ok: false, statements: [], ms: 0, error };
  }
  // Written beside the migration, on another connection, one after another.
  const ran: string[] = [];
  let written: Promise<unknown> = Promise.resolve();
  const run = await runBody(
    session,
    direction,
    migration,
    stoppingWhenInterrupted(connection),
    (statement) => {
      if (statement.failed === true) return;
      ran.push(statement.sql);
      const sqlNow = ranSoFarSql(migration.name, [...ran]);
      written = written.then(() => sqlNow.execute(options.db)).catch(() => {});
    },
  );
  await written;
  await undoLimits().catch(() => {});
  if (!run.ok) {
    const failed = run.statements.find((statement) => statement.failed === true);
    const stopped: ProgressRow = {
      ...progress,
      ran: run.statements.filter((statement) => statement.failed !== true).map((statement) => statement.sql),
      failed: { sql: failed?.sql ?? '', error: redactSecrets(messageOf(run.error)) },
    };
    // Nothing ran: nothing is half-applied.
    const record = stopped.ran.length === 0 ? [deleteProgressSql(migration.name)] : writeProgressSql(stopped);
    for (const statement of record) await statement.execute(options.db).catch(() => {});
    return run;
  }
  try {
    const bookkeeping = bookkeepingSql(session, direction, migration);
    // Postgres runs one message as one implicit transaction: Kysely's row and ours go together.
    if (options.dialect === 'postgres') await sql.join(bookkeeping, sql`; `).execute(connection);
    else for (const statement of bookkeeping) await statement.execute(connection);
    return run;
  } catch (error) {
    return { ...run, ok: false, error };
  }
}

/** Runs the migration's own code, recording and timing exactly its statements. Never throws. */
export async function runBody(
  session: TargetSession,
  direction: Direction,
  migration: Migration,
  db: Kysely<any>,
  onStatement?: (statement: CapturedStatement) => void,
): Promise<Attempt> {
  const body = direction === 'up' ? migration.up : migration.down;
  const { recorder } = session.options;
  recorder.start(onStatement);
  const started = performance.now();
  try {
    if (body === undefined) throw new Error(`${migration.name} has no ${direction}`);
    await body(db);
    // A cancelled statement may end without an error (on Oracle MySQL a killed SLEEP returns 1,
    // even inside an expression): a migration interrupted by a signal is never recorded as done.
    if (isInterrupted()) throw new Error(`${migration.name} was interrupted by a signal before it finished`);
    return { ok: true, statements: recorder.stop(), ms: performance.now() - started };
  } catch (error) {
    return { ok: false, statements: recorder.stop(), ms: performance.now() - started, error };
  }
}

/** What one attempt at `migration` reports, whether it worked or not. */
export function stepRecord(
  migration: Migration,
  direction: Direction,
  attempt: number,
  run: Ran,
  transactional: boolean,
): StepRecord {
  return {
    name: migration.name,
    direction,
    durationMs: Math.round(run.ms),
    attempts: attempt,
    statements: run.statements,
    transactional,
  };
}

/** BEGIN with the limits set local to the transaction, in one message. */
export function beginSql(session: TargetSession): RawBuilder<unknown> {
  const { dialect, limits, mariadb } = session.options;
  const limitsStatement = limitsSql(dialect, limits, true, mariadb);
  return limitsStatement === undefined ? sql`begin` : sql`begin; ${limitsStatement}`;
}

/** Kysely's row and the checksum row of a migration that ran `direction`. */
export function bookkeepingSql(
  session: TargetSession,
  direction: Direction,
  migration: Migration,
): RawBuilder<unknown>[] {
  const { options, table } = session;
  const checksum =
    direction === 'down'
      ? [deleteChecksumSql(migration.name)]
      : writeChecksumSql({
          name: migration.name,
          sourceChecksum: migration.checksum,
          sqlChecksum: options.sqlChecksums.get(migration.name) ?? null,
          appliedAt: new Date().toISOString(),
          appliedBy: options.appliedBy,
        });
  return [kyselyRowSql(table, direction, migration.name), ...checksum, deleteProgressSql(migration.name)];
}

/**
 * The connection as a migration inside our transaction sees it: like Kysely's `Transaction`,
 * it cannot begin, leave or end one, so a migration cannot commit half of itself.
 */
export function transactionView(connection: Kysely<any>): Kysely<any> {
  const refused = new Set<PropertyKey>(['transaction', 'startTransaction', 'connection', 'destroy']);
  return new Proxy(connection, {
    get(target, property) {
      if (property === 'isTransaction') return true;
      if (refused.has(property))
        return () => {
          throw new Error(`calling the ${String(property)} method for a Transaction is not supported`);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
