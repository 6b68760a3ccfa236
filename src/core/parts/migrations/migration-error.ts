import { messageOf } from '../../model/errors.ts';

/**
 * A statement of a SQL migration failed. The message is the database's own, so it reads the
 * same as in psql or the mysql client; file and line point at the statement in the source.
 */
export class MigrationStatementError extends Error {
  override readonly name = 'MigrationStatementError';
  /** Absolute path of the SQL file holding the statement. */
  readonly file: string;
  /** 1-based line in `file`: where the statement starts, or the error position inside it. */
  readonly line: number;
  /** The statement as sent to the database. */
  readonly statement: string;
  /** What the driver threw. */
  override readonly cause: unknown;

  constructor(options: { file: string; line: number; statement: string; cause: unknown }) {
    super(messageOf(options.cause), { cause: options.cause });
    this.file = options.file;
    this.line = options.line;
    this.statement = options.statement;
    this.cause = options.cause;
  }
}
