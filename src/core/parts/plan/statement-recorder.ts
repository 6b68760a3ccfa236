import type { LogEvent } from 'kysely';
import type { CapturedStatement } from '../../model/captured-statement.ts';

/**
 * Records the SQL statements a migration's step sends to the throwaway database. Wired to
 * the throwaway's Kysely `log` hook, which sees every query, the failed ones too; it records
 * only between {@link start} and {@link stop}, which the proof calls right around the step's
 * own code, so that the tool's queries (BEGIN, COMMIT, snapshots, the change tracker) are
 * never taken for the migration's. Parameter values are never recorded: only the statement
 * text, with its placeholders.
 */
export class StatementRecorder {
  #recording: CapturedStatement[] | undefined;

  /** Sees one query (the `log` hook). */
  observe(event: LogEvent): void {
    this.#recording?.push({
      sql: event.query.sql,
      durationMs: Math.round(event.queryDurationMillis * 1000) / 1000,
      ...(event.level === 'error' ? { failed: true } : {}),
    });
  }

  /** Starts a new recording. */
  start(): void {
    this.#recording = [];
  }

  /** Ends the recording and returns what it holds. */
  stop(): CapturedStatement[] {
    const recorded = this.#recording ?? [];
    this.#recording = undefined;
    return recorded;
  }
}
