/**
 * An error the user can fix by changing an argument, a file or the environment
 * (a missing folder, a malformed migration, a wrong password). Shells map it to exit code 2
 * and print its message without a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The file the problem is in, when there is one. */
  readonly file: string | undefined;
  /** 1-based line in `file`, when known. */
  readonly line: number | undefined;

  constructor(message: string, options: { file?: string; line?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.line = options.line;
  }
}

/** The message of any thrown value, never losing a non-Error value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
