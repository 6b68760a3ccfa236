import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import { messageOf } from '../../model/errors.ts';
import type { TableRows } from '../rows/read-rows.ts';
import { readRows } from '../rows/read-rows.ts';
import { seedRows } from '../rows/seed-rows.ts';
import type { TableShape } from '../rows/table-shapes.ts';
import type { UserSeed } from '../rows/user-seed.ts';
import { tableShapes } from '../rows/table-shapes.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';

/** The rows in the tables right before a migration's up, for the round trip after its down. */
export interface RowsBefore {
  readonly tables: readonly TableShape[];
  readonly rows: ReadonlyMap<string, TableRows>;
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
  }

  /**
   * Fills the tables of `schema` not filled yet (the user's seed first, once), then reads
   * every table's rows in one query.
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
    const rows = await readRows(db, this.#dialect, tables);
    return { tables, rows, any: [...rows.values()].some((table) => table.length > 0) };
  }

  /** Why the user's seed never ran, when it did not; undefined when it ran or there is none. */
  get userSeedFailure(): string | undefined {
    return this.#userSeedRan || this.#userSeedError === undefined
      ? undefined
      : messageOf(this.#userSeedError);
  }

  /** The rows of the tables `before` read, now. */
  async after(db: Kysely<any>, before: RowsBefore): Promise<ReadonlyMap<string, TableRows>> {
    return readRows(db, this.#dialect, before.tables);
  }
}
