import type { Kysely, KyselyConfig } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { Logger } from '../../model/logger.ts';

/** Which kind of throwaway database to use; `auto` picks the best available. */
export type ThrowawayKind = 'auto' | 'embedded' | 'server' | 'container';

/** All throwaway kinds, for argument validation. */
export const THROWAWAY_KINDS: readonly ThrowawayKind[] = ['auto', 'embedded', 'server', 'container'];

/**
 * An empty database that exists only for one run. Dispose it with `await using`: disposal
 * drops what it created, also after a failure.
 */
export interface ThrowawayDatabase extends AsyncDisposable {
  readonly kind: Exclude<ThrowawayKind, 'auto'>;
  readonly dialect: DialectName;
  /** What it is, for reports: never holds credentials. */
  readonly description: string;
  /** The engine's version string, e.g. `15.20` or `10.11.19-MariaDB`. */
  readonly serverVersion: string;
  /** The connection to the current database. Replaced by {@link reset}. */
  readonly db: Kysely<any>;
  /** Replaces the database by a new empty one and returns its connection. */
  reset(): Promise<Kysely<any>>;
  /** A hint for an error this kind of database is known to cause, e.g. a missing extension. */
  explainError(error: unknown): string | undefined;
  /** Saving and loading the whole database, when this kind does it faster than a replay. */
  readonly state?: ThrowawayState;
}

/**
 * The whole database (schema and rows) as bytes, and back: what the merged-history cache keeps,
 * so a pull request's check starts from the merged migrations' state instead of replaying them.
 */
export interface ThrowawayState {
  /** What the bytes are: a state is only loaded by a throwaway of the same format. */
  readonly format: string;
  /** The current database, whole; undefined when it holds what this format cannot carry. */
  save(): Promise<Uint8Array | undefined>;
  /**
   * Replaces the database by a saved one and returns its connection. When the bytes cannot be
   * loaded it throws, and the database is then a new empty one, as after a reset.
   */
  load(saved: Uint8Array): Promise<Kysely<any>>;
}

/** What every provider needs. */
export interface ThrowawayOptions {
  readonly dialect: DialectName;
  readonly logger: Logger;
  /** Kysely's log hook for the throwaway connection (SQL capture). */
  readonly log?: KyselyConfig['log'];
  /** Server to create scratch databases on (`server`, and `auto` without Docker). */
  readonly serverUrl?: string;
  /** Container image (`container`); defaults to an official image of the dialect. */
  readonly image?: string;
  /** Postgres extensions the migrations mention, so the embedded engine can load them up front. */
  readonly extensions?: readonly string[];
}
