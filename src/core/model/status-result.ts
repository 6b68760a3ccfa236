import type { ChecksumMismatch } from './checksum-mismatch.ts';
import type { DialectName } from './dialect.ts';

/** A target as `status` sees it: read only, never changed. */
export interface StatusResult {
  /** True when nothing is wrong: no checksum mismatch, no drift, no unknown migration. */
  readonly ok: boolean;
  readonly dialect: DialectName;
  /** The target, without credentials. */
  readonly database: string;
  /** Applied migrations, in Kysely's order. */
  readonly applied: readonly string[];
  /** The folder's migrations the target has not applied, in order. */
  readonly pending: readonly string[];
  /** Applied on the target but absent from the folder. */
  readonly unknown: readonly string[];
  /** Applied without a checksum row (by Kysely's Migrator alone): the next apply adopts them. */
  readonly unrecorded: readonly string[];
  readonly checksumMismatches: readonly ChecksumMismatch[];
  /** How the target differs from its applied migrations replayed, in words. */
  readonly drift: readonly string[];
}
