import type { LogEvent } from 'kysely';
import type { CapturedStatement } from '../../model/captured-statement.ts';
import { PROGRESS_TABLE } from '../migrations/bookkeeping-tables.ts';

/**
 * Records the SQL statements a migration's step sends to the throwaway database. Wired to
 * the throwaway's Kysely `log` hook, which sees every query, the failed ones too; it records
 * only between {@link start} and {@link stop}, which the proof calls right around the step's
 * own code, so that the tool's queries (BEGIN, COMMIT, snapshots, the change tracker) are
 * never taken for the migration's. Parameter values are never recorded: only the statement
 * text, with its placeholders. The tool's own progress writes, which go on beside a running
 * migration, are never recorded as its statements.
 */
export class StatementRecorder {
  #recording: CapturedStatement[] | undefined;
  #onStatement: ((statement: CapturedStatement) => void) | undefined;

  /** Sees one query (the `log` hook). */
  observe(event: LogEvent): void {
    if (this.#recording === undefined || event.query.sql.includes(PROGRESS_TABLE)) return;
    const statement: CapturedStatement = {
      sql: event.query.sql,
      durationMs: Math.round(event.queryDurationMillis * 1000) / 1000,
      ...(event.level === 'error' ? { failed: true } : {}),
    };
    this.#recording.push(statement);
    this.#onStatement?.(statement);
  }

  /** Starts a new recording; `onStatement` is told of each statement as soon as it ended. */
  start(onStatement?: (statement: CapturedStatement) => void): void {
    this.#recording = [];
    this.#onStatement = onStatement;
  }

  /** Ends the recording and returns what it holds. */
  stop(): CapturedStatement[] {
    const recorded = this.#recording ?? [];
    this.#recording = undefined;
    this.#onStatement = undefined;
    return recorded;
  }
}
