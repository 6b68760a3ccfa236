/**
 * What the data-aware proof found with rows in the tables. These ids are a public contract
 * (JSON output, action outputs, users' scripts): never rename them.
 * - `fails-on-existing-rows`: a step that passes on empty tables fails when rows exist;
 * - `down-loses-rows`: up then down keeps the schema but not the rows present before the up;
 * - `up-drops-rows`: the up removes a table or column that held rows (on purpose, counted).
 */
export type DataFindingId = 'fails-on-existing-rows' | 'down-loses-rows' | 'up-drops-rows';

/** Every data finding id, in the order reports list them. */
export const DATA_FINDING_IDS: readonly DataFindingId[] = [
  'fails-on-existing-rows',
  'down-loses-rows',
  'up-drops-rows',
];

/** One finding of the data-aware proof on one migration. */
export interface DataFinding {
  readonly id: DataFindingId;
  /** `error` fails the gate at the default level, `warning` with `fail-on: warning`, `notice` never. */
  readonly severity: 'error' | 'warning' | 'notice';
  /** Which step: the up or the down of the migration. */
  readonly direction: 'up' | 'down';
  /** What happened, in one sentence: "down of 0042 does not bring back users.bio: 12 of 12 values lost". */
  readonly what: string;
  /** The rows that made it fail, in words ("users.username holds NULL"), when known. */
  readonly rows?: string;
  /** The engine's error, for `fails-on-existing-rows`. */
  readonly error?: string;
  /** The safer way to write it, in one line. */
  readonly instead?: string;
}
