/**
 * What went wrong, in words: one sentence, and the particulars (differences, a program's last
 * words) one per line, empty when the sentence says it all.
 */
export interface Problem {
  readonly message: string;
  readonly details: readonly string[];
}

/**
 * An expected outcome as a value, in the spirit of Kysely's migration result sets: what came of
 * it when it worked, what went wrong when it did not, told apart by `ok` alone. Exceptions are
 * kept for what nobody expects. The failed side is a {@link Problem} unless a caller needs more.
 */
export type Outcome<T extends object = object, F extends object = Problem> =
  ({ readonly ok: true } & T) | Failed<F>;

/**
 * The failed side of an {@link Outcome}. It fits an outcome of any success, so a caller hands a
 * failure up as it came (`if (!tool.ok) return tool`).
 */
export type Failed<F extends object = Problem> = { readonly ok: false } & F;

/** A failed outcome saying `message`, with its particulars. */
export function failed(message: string, details: readonly string[] = []): Failed {
  return { ok: false, message, details };
}
