import type { Kysely } from 'kysely';
import type { MigrationMeta } from '../../model/migration-meta.ts';
import type { SqlStatement } from './split-sql.ts';

/** How a migration was written. */
export type MigrationFormat = 'module' | 'index-module' | 'sql';

/** One step of the migration history, whatever its source format. */
export interface Migration {
  /** The name Kysely stores in `kysely_migration`; migrations run in the order of these names. */
  readonly name: string;
  /** Where it came from, for error messages and annotations. */
  readonly source: MigrationSourceInfo;
  /** Applies the migration. */
  readonly up: MigrationStep;
  /** Reverts it; absent when the source has no down. */
  readonly down: MigrationStep | undefined;
  /** The reason given when the migration declares itself irreversible on purpose. */
  readonly irreversible: string | undefined;
  /**
   * False when the migration opted out of running inside a transaction
   * (e.g. for CREATE INDEX CONCURRENTLY).
   */
  readonly transactional: boolean;
  /**
   * Why it runs outside a transaction when its statements say so rather than a declaration
   * (`CREATE INDEX CONCURRENTLY` on Postgres), shown as a note on its result.
   */
  readonly outsideTransaction?: string;
  /** Which directions are empty SQL files: legitimate no-ops, shown as such. */
  readonly empty: { readonly up: boolean; readonly down: boolean };
  /** sha256 (hex) of the migration's source text(s). */
  readonly checksum: string;
  /**
   * Risks the migration takes on purpose, by risk rule id, with the reason given
   * (`export const acknowledge = { 'drop-column': 'reason' }`, or
   * `-- migration-gate:acknowledge drop-column reason`). Such risks do not fail the gate.
   */
  readonly acknowledged: ReadonlyMap<string, string>;
  /** Its description, breaking flag, estimated duration and tags, when it declares any. */
  readonly meta?: MigrationMeta;
  /** A SQL migration's statements per direction, with their lines, so captured SQL can point at its source. */
  readonly script?: { readonly up: readonly SqlStatement[]; readonly down?: readonly SqlStatement[] };
}

/** A direction of a migration: receives the database (or transaction) to run on. */
export type MigrationStep = (db: Kysely<any>) => Promise<void>;

/** The files behind a migration. Paths are absolute. */
export interface MigrationSourceInfo {
  readonly format: MigrationFormat;
  /** The file holding up (and down, for modules and single-file SQL). */
  readonly path: string;
  /** The file holding down, when it is a separate file. */
  readonly downPath?: string;
}
