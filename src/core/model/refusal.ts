import type { Problem } from './outcome.ts';

/**
 * A flow's refusal: nothing on the target was changed. `reason` is one word of the flow's own
 * list (a public contract, like the outcome words); `message` says it in one sentence and
 * `details` gives the particulars (mismatching migrations, drift in words, failed proofs).
 */
export interface Refusal<Reason extends string = string> extends Problem {
  readonly reason: Reason;
}
