/** How hard `check` may work counting a target's rows: each query is bounded. */
export interface RowCountSettings {
  /** The statement timeout of each counting query, in milliseconds. */
  readonly timeoutMs: number;
  /** Tables whose estimated rows exceed this are counted on a sample. */
  readonly sampleAbove: number;
  /** About how many rows a sample reads. */
  readonly sampleRows: number;
}

/**
 * The defaults: 5 s per query; tables above a million estimated rows counted on a sample of
 * about 100,000 rows (Postgres reads whole pages, so a sample's size varies with row width).
 */
export const DEFAULT_ROW_COUNT_SETTINGS: RowCountSettings = {
  timeoutMs: 5_000,
  sampleAbove: 1_000_000,
  sampleRows: 100_000,
};
