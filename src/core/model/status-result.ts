import type { ChecksumMismatch } from './checksum-mismatch.ts';
import type { DialectName } from './dialect.ts';
import type { Problem } from './outcome.ts';

/** One of the folder's migrations on the target, as kysely-ctl's `list` shows it. */
export interface MigrationState {
  readonly name: string;
  readonly state: 'applied' | 'pending';
  /** When Kysely recorded it applied (its `timestamp` column, ISO); absent when pending. */
  readonly appliedAt?: string;
}

/** A target as `status` sees it: read only, never changed. */
export interface StatusResult {
  /**
   * True when nothing is wrong: no checksum mismatch, no drift, no unknown migration, and with
   * fail-on-pending, nothing pending.
   */
  readonly ok: boolean;
  readonly dialect: DialectName;
  /** The target, without credentials. */
  readonly database: string;
  /** Applied migrations, in Kysely's order. */
  readonly applied: readonly string[];
  /** The folder's migrations the target has not applied, in order. */
  readonly pending: readonly string[];
  /** The folder's migrations: how many, and each applied (when) or pending, in the folder's order. */
  readonly total: number;
  readonly migrations: readonly MigrationState[];
  /** The last applied migration and when it ran; absent when none is. */
  readonly lastApplied?: { readonly name: string; readonly appliedAt: string };
  /** Set when pending migrations fail the status (fail-on-pending). */
  readonly failOnPending?: true;
  /** Applied on the target but absent from the folder. */
  readonly unknown: readonly string[];
  /** Applied without a checksum row (by Kysely's Migrator alone): the next apply adopts them. */
  readonly unrecorded: readonly string[];
  readonly checksumMismatches: readonly ChecksumMismatch[];
  /** How the target differs from its applied migrations replayed, in words. */
  readonly drift: readonly string[];
  /**
   * A migration that stopped half-way (see the progress table): named, with its statements
   * that ran and those that did not, and the ways forward, in the words apply refuses with.
   */
  readonly halfApplied?: Problem;
}
