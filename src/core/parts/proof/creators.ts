import type { SchemaObject, SchemaSnapshot } from '../schema/snapshot.ts';

/** The migration that created an object, by its position in the history. */
export interface Creator {
  readonly migration: string;
  readonly index: number;
  /** The object's snapshot key. */
  readonly key: string;
  readonly object: SchemaObject;
}

/**
 * Remembers which migration's up created each object, learnt from the snapshots around each
 * up, so failures can say "…, which 0003 creates".
 */
export class CreatorIndex {
  readonly #byKey = new Map<string, Creator>();

  /** Records the objects present after `migration`'s up that were absent before it. */
  record(migration: string, index: number, before: SchemaSnapshot, after: SchemaSnapshot): void {
    for (const [key, object] of Object.entries(after.objects)) {
      if (before.objects[key] === undefined && !this.#byKey.has(key)) {
        this.#byKey.set(key, { migration, index, key, object });
      }
    }
  }

  /** The creator of the object with this snapshot key. */
  byKey(key: string): Creator | undefined {
    return this.#byKey.get(key);
  }

  /**
   * The creator of an object a database message names (`"identity_credentials"`,
   * `'scratch_db.posts'`); tables and types win over columns of the same name.
   */
  byName(name: string): Creator | undefined {
    const bare = name.split('.').at(-1) ?? name;
    let fallback: Creator | undefined;
    for (const creator of this.#byKey.values()) {
      const objectName = creator.object.name;
      const matches = objectName === name || objectName === bare || objectName.split('.').at(-1) === bare;
      if (!matches) continue;
      if (creator.object.kind !== 'column') return creator;
      fallback ??= creator;
    }
    return fallback;
  }
}

/** The names a database error message quotes: "x", 'x' or `x`. */
export function quotedNames(message: string): string[] {
  return [...message.matchAll(/"([^"]+)"|'([^']+)'|`([^`]+)`/g)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
}

/**
 * Explains a down that failed on a missing object, or dropped one it should have kept, by
 * the migration that creates that object. `afterUp` is the schema right after the migration's
 * up, when known: an object created before the up and missing there was dropped by the up
 * itself, so its down merely fails to recreate it, and the downs are not shifted. Otherwise a down that removes what a
 * neighbour creates looks like the neighbour's down: the downs look shifted by one.
 */
export function creatorHint(
  migration: { name: string; index: number },
  objectName: string,
  creator: Creator | undefined,
  afterUp: SchemaSnapshot | undefined,
): string | undefined {
  if (creator === undefined || creator.migration === migration.name) return undefined;
  const createdBefore = creator.index < migration.index;
  if (createdBefore && afterUp !== undefined && afterUp.objects[creator.key] === undefined) {
    return `up of ${migration.name} drops ${objectName}, which ${creator.migration} creates, and its down does not recreate it`;
  }
  const shifted = Math.abs(creator.index - migration.index) === 1 ? ': the downs look shifted by one' : '';
  return `down of ${migration.name} drops ${objectName}, which ${creator.migration} creates${shifted}`;
}
