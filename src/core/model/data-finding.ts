/**
 * What the data-aware proof found with rows in the tables. These ids are a public contract
 * (JSON output, action outputs, users' scripts): never rename them.
 * - `fails-on-existing-rows`: a step that passes on empty tables fails when rows exist;
 * - `down-loses-rows`: up then down keeps the schema but not the rows present before the up.
 * What an up drops on purpose is counted beside its data-loss risk (its evidence), not here.
 */
export type DataFindingId = 'fails-on-existing-rows' | 'down-loses-rows';

/** Every data finding id, in the order reports list them. */
export const DATA_FINDING_IDS: readonly DataFindingId[] = ['fails-on-existing-rows', 'down-loses-rows'];

/** One finding of the data-aware proof on one migration. */
export interface DataFinding {
  readonly id: DataFindingId;
  /** `error` fails the gate at the default level, `warning` only with `fail-on: warning`. */
  readonly severity: 'error' | 'warning';
  /** Which step: the up or the down of the migration. */
  readonly direction: 'up' | 'down';
  /** What happened, in one sentence: "down of 0042 does not bring back users.bio: 12 of 12 values lost". */
  readonly what: string;
  /** The rows that made it fail, in words ("users.username holds NULL"), when known. */
  readonly rows?: string;
  /** The statement that failed, for `fails-on-existing-rows`, when it was captured. */
  readonly statement?: string;
  /** The engine's error, for `fails-on-existing-rows`. */
  readonly error?: string;
  /** The safer way to write it, in one line. */
  readonly instead?: string;
}
