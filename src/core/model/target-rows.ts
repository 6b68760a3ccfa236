import type { RowDemand } from './row-demand.ts';

/**
 * A pending migration's demand on existing rows, counted on the target (read only). Its `id`
 * is stable across runs, for scripts and for reading one finding in two reports:
 * `<migration>/<kind>:<table>.<columns or constraint>`.
 */
export interface TargetRowCheck {
  readonly id: string;
  /** The pending migration whose up makes the demand. */
  readonly migration: string;
  readonly demand: RowDemand;
  /** Rows that break it; an estimate when `sample` says so; absent when not counted. */
  readonly rows?: number;
  /** For a unique demand: how many values are duplicated (groups of rows sharing one). */
  readonly groups?: number;
  /**
   * Set when the table was too large to count whole: the share of it read, and whether `rows`
   * is scaled up to the table (`about`) or only what the sample held (`at least`: duplicates).
   */
  readonly sample?: { readonly percent: number; readonly scaled: boolean };
  /** Why it was not counted, e.g. `timed out after 5 s`: never a failure of the tool. */
  readonly notCounted?: string;
  /**
   * A pending migration (this one or an earlier) that writes this table's rows before the
   * constraint comes: a backfill may fix the rows counted, so the count does not fail the gate.
   */
  readonly writtenBy?: string;
  /** True when the up would fail on the target: rows break it and nothing pending writes them first. */
  readonly fails: boolean;
  /** The finding in words: `would fail on the target: 1,204 rows of users have NULL in username`. */
  readonly message: string;
}

/** The size of a table a pending migration changes, read from the target's statistics. */
export interface TargetTableSize {
  readonly table: string;
  /** The pending migrations that change it. */
  readonly migrations: readonly string[];
  /** The engine's row estimate; absent when it has none (a Postgres table never analyzed). */
  readonly rows?: number;
  /** Data and indexes, in bytes. */
  readonly bytes: number;
  /**
   * When a pending migration rewrites the table or builds an index on it (a risk rule says
   * so): its duration estimated from `bytes` at an assumed rate, in seconds, and why.
   */
  readonly estimate?: { readonly seconds: number; readonly because: string };
}
