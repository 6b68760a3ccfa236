import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import { messageOf } from '../../model/errors.ts';
import type { TableRows } from '../rows/read-rows.ts';
import { readFingerprints, readRows } from '../rows/read-rows.ts';
import { seedRows } from '../rows/seed-rows.ts';
import type { TableShape } from '../rows/table-shapes.ts';
import type { UserSeed } from '../rows/user-seed.ts';
import { tableShapes } from '../rows/table-shapes.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';

/** The rows in the tables right before a migration's up, for the round trip after its down. */
export interface RowsBefore {
  readonly tables: readonly TableShape[];
  readonly rows: ReadonlyMap<string, TableRows>;
  /** Each table's fingerprint (see readFingerprints) when `rows` were read. */
  readonly fingerprints: ReadonlyMap<string, string>;
  /** Whether any user table holds a row: a failure may then be the rows' doing. */
  readonly any: boolean;
}

/**
 * The rows of the data-aware proof on one throwaway database: each table is filled once, the
 * first time a migration under proof finds it (so a long history pays for each table once,
 * not once per migration), and filled again only after the database was replaced. The user's
 * seed runs once, before the first migration under proof it succeeds before.
 */
export class SeededRows {
  readonly #dialect: DialectName;
  readonly #excludeTables: readonly string[];
  readonly #userSeed: UserSeed | undefined;
  readonly #generate: boolean;
  #filled = new Set<string>();
  /** The rows last read of each table, by table, with its shape and fingerprint then. */
  #known = new Map<
    string,
    { readonly shape: string; readonly fingerprint: string; readonly rows: TableRows }
  >();
  #userSeedRan = false;
  /** Why the user's seed did not run yet: its tables may come with a later migration. */
  #userSeedError: unknown;

  /** `generate`: fill tables with generated rows; without it only the user's seed puts rows in. */
  constructor(
    dialect: DialectName,
    excludeTables: readonly string[],
    options: { readonly generate: boolean; readonly userSeed?: UserSeed },
  ) {
    this.#dialect = dialect;
    this.#excludeTables = excludeTables;
    this.#generate = options.generate;
    this.#userSeed = options.userSeed;
  }

  /** Forgets what was filled: the database was replaced by an empty one. */
  reset(): void {
    this.#filled = new Set();
    this.#known = new Map();
  }

  /**
   * Fills the tables of `schema` not filled yet (the user's seed first, once), then gives every
   * table's rows: read again only for the tables whose fingerprint or shape changed since they
   * were last read.
   */
  async before(db: Kysely<any>, schema: SchemaSnapshot): Promise<RowsBefore> {
    if (this.#userSeed !== undefined && !this.#userSeedRan) {
      const seed = this.#userSeed;
      // In a transaction, so a seed whose tables do not exist yet leaves nothing behind and
      // is tried again before the next migration, once the history has created them.
      try {
        await db.transaction().execute((transaction) => seed(transaction));
        this.#userSeedRan = true;
        this.#userSeedError = undefined;
      } catch (error) {
        this.#userSeedError = error;
      }
    }
    const tables = tableShapes(schema, this.#excludeTables);
    const fresh = tables.filter((table) => !this.#filled.has(table.name));
    if (this.#generate && fresh.length > 0) await seedRows(db, this.#dialect, fresh);
    for (const table of fresh) this.#filled.add(table.name);
    const fingerprints = await readFingerprints(db, this.#dialect, tables);
    await this.#refresh(db, tables, fingerprints);
    const rows = new Map(tables.map((table) => [table.name, this.#known.get(table.name)!.rows]));
    return { tables, rows, fingerprints, any: [...rows.values()].some((table) => table.length > 0) };
  }

  /** Why the user's seed never ran, when it did not; undefined when it ran or there is none. */
  get userSeedFailure(): string | undefined {
    return this.#userSeedRan || this.#userSeedError === undefined
      ? undefined
      : messageOf(this.#userSeedError);
  }

  /**
   * The tables `before` read whose rows are not the same now, and their rows now: a round trip
   * can have lost rows only there.
   */
  async changedSince(
    db: Kysely<any>,
    before: RowsBefore,
  ): Promise<{ readonly tables: readonly TableShape[]; readonly rows: ReadonlyMap<string, TableRows> }> {
    const fingerprints = await readFingerprints(db, this.#dialect, before.tables);
    const tables = before.tables.filter(
      (table) => fingerprints.get(table.name) !== before.fingerprints.get(table.name),
    );
    await this.#refresh(db, tables, fingerprints);
    return { tables, rows: new Map(tables.map((table) => [table.name, this.#known.get(table.name)!.rows])) };
  }

  /** Reads the rows of the tables whose shape or fingerprint differs from what is known of them. */
  async #refresh(
    db: Kysely<any>,
    tables: readonly TableShape[],
    fingerprints: ReadonlyMap<string, string>,
  ): Promise<void> {
    const shapeOf = (table: TableShape) =>
      JSON.stringify(table.columns.map((column) => [column.name, column.type]));
    const stale = tables.filter((table) => {
      const known = this.#known.get(table.name);
      return known?.shape !== shapeOf(table) || known.fingerprint !== fingerprints.get(table.name);
    });
    const rows = await readRows(db, this.#dialect, stale);
    for (const table of stale)
      this.#known.set(table.name, {
        shape: shapeOf(table),
        fingerprint: fingerprints.get(table.name)!,
        rows: rows.get(table.name) ?? [],
      });
  }
}
