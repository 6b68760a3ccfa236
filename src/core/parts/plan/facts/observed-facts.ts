/**
 * What the throwaway database showed while the first up of a migration under proof ran, for
 * the risk rules to prefer over guesses from statement text. Each fact is absent when it
 * could not be read, with the reason in its `...Unread` field, which rules quote as evidence.
 */
export interface ObservedFacts {
  /** Postgres: tables (and materialized views) that existed before and whose storage the up rewrote. */
  readonly rewritten?: ReadonlySet<string>;
  readonly rewrittenUnread?: string;
  /**
   * Postgres: tables that existed before and were dropped and created again under the same
   * name (a new oid): empty, whatever the schema diff says. Read with `rewritten`.
   */
  readonly recreated?: ReadonlySet<string>;
  /** Postgres: the strongest lock the up held on each relation that existed before it. */
  readonly locks?: ReadonlyMap<string, PostgresLockMode>;
  readonly locksUnread?: string;
  /** MySQL/MariaDB: how the server could run each probed statement, by index in the up's statements. */
  readonly algorithms?: ReadonlyMap<number, AlgorithmVerdict>;
  readonly algorithmsUnread?: string;
  /** MySQL: the row versions of each table whose statements the server does all INSTANT. */
  readonly rowVersions?: ReadonlyMap<string, RowVersions>;
}

/**
 * MySQL counts the INSTANT ADD/DROP COLUMNs a table went through since it was last rebuilt
 * (information_schema.INNODB_TABLES.TOTAL_ROW_VERSIONS); at the limit INSTANT is refused and
 * the ALTER rebuilds the table instead.
 */
export interface RowVersions {
  /** The table's count on the throwaway database, after the migrations before this one. */
  readonly before: number;
  /** The versions the up's statements add (on a fresh copy of the table). */
  readonly added: number;
  /** The server's limit: 64 on MySQL 8.0, 255 on MySQL 9 (measured on 9.7). */
  readonly limit: number;
}

/** Postgres's table-level lock modes, weakest first (as pg_locks names them). */
export const POSTGRES_LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

/** One of {@link POSTGRES_LOCK_MODES}. */
export type PostgresLockMode = (typeof POSTGRES_LOCK_MODES)[number];

/**
 * The cheapest way the server accepted an ALTER on a copy of the table: `instant` (metadata
 * only), `nocopy` (MariaDB: no rebuild, writes go on), `inplace` (a rebuild, writes go on:
 * LOCK=NONE), `inplace-locked` (in place, but only with a lock that blocks writes), `copy`
 * (only ALGORITHM=COPY: the table is copied while writes wait). `unknown` when the probe itself
 * failed, with the server's message.
 */
export type AlgorithmVerdict =
  | {
      readonly algorithm: 'instant' | 'nocopy' | 'inplace' | 'inplace-locked' | 'copy';
      readonly table: string;
      /** The statement pins its own ALGORITHM or LOCK, which the server will use as given. */
      readonly pinned?: boolean;
    }
  | { readonly algorithm: 'unknown'; readonly table: string; readonly reason: string };
