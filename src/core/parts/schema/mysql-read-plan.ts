import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { everyOwnerOfKind } from './change-scope.ts';
import type { SchemaObjectKind } from './snapshot.ts';

/**
 * Which names a catalog query reads: `'all'`, or a list. An empty list means the query
 * has nothing to find and is skipped.
 */
export type NameFilter = 'all' | readonly string[];

/** Beyond this many names one unfiltered query is the simpler read; the owners still filter. */
const MAX_FILTERED_NAMES = 1_000;

/** Whether a query with this filter has nothing to find. */
export function isEmpty(filter: NameFilter): boolean {
  return filter !== 'all' && filter.length === 0;
}

/** ` and <column> in (...)` for a list of names, nothing for `'all'`. */
export function nameIn(column: string, filter: NameFilter): RawBuilder<unknown> {
  if (filter === 'all') return sql``;
  return sql` and ${sql.ref(column)} in (${sql.join(filter)})`;
}

/** What one take reads, from the owners it was asked for (all of it without owners). */
export class ReadPlan {
  readonly #owners: ReadonlySet<string> | undefined;
  readonly #relations: ReadonlySet<string>;

  constructor(owners: ReadonlySet<string> | undefined) {
    this.#owners = owners;
    this.#relations = new Set(owners === undefined ? [] : this.#namesAfter('relation:'));
  }

  /** Whether every object of one of the kinds is wanted (always, for a full snapshot). */
  every(...kinds: readonly SchemaObjectKind[]): boolean {
    const owners = this.#owners;
    return owners === undefined || kinds.some((kind) => owners.has(everyOwnerOfKind(kind)));
  }

  /** The filter of information_schema.TABLES: the named relations, unless a kind needs all rows. */
  get tables(): NameFilter {
    // Columns need their table's collation; sequences are found among the tables.
    if (this.every('table', 'sequence', 'column')) return 'all';
    return limited([...this.#relations]);
  }

  /** Whether a relation found in TABLES is one the owners name. */
  wants(name: string): boolean {
    return this.#owners === undefined || this.#relations.has(name);
  }

  /** The filter of a top-level kind with its own names: routines and events. */
  names(kind: 'function' | 'procedure' | 'event'): NameFilter {
    if (this.every(kind)) return 'all';
    return limited(this.#namesAfter(`${kind}:`));
  }

  /**
   * The filter of a query about relations found in TABLES (`found`: every one of the right
   * type there): the wanted ones, or all when a kind is wanted whole. A complete TABLES read
   * that found none spares the query, since these objects only exist on relations.
   */
  derive(complete: boolean, found: readonly string[], ...kinds: readonly SchemaObjectKind[]): NameFilter {
    if (this.every(...kinds)) return complete && found.length === 0 ? [] : 'all';
    return limited(found.filter((name) => this.wants(name)));
  }

  #namesAfter(prefix: string): string[] {
    return [...(this.#owners ?? [])]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length));
  }
}

/** The names as a filter, or `'all'` when there are too many to list in a query. */
export function limited(names: readonly string[]): NameFilter {
  return names.length > MAX_FILTERED_NAMES ? 'all' : names;
}
