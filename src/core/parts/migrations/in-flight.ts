import type { Kysely } from 'kysely';

/**
 * Every query promise handed to a migration, by any InFlight: migrations of several targets run
 * side by side, and one's unawaited query must not count as another's late fault.
 */
const HANDED = new WeakSet<Promise<unknown>>();

/** Whether `promise` is a query a migration was handed (its outcome is counted where it started). */
export function isWatchedQuery(promise: Promise<unknown>): boolean {
  return HANDED.has(promise);
}

/**
 * The work a migration started through its database handle and has not seen finish: queries
 * it executed without awaiting them. Each is watched from the moment it starts, so the step can
 * wait for all of them before moving on and tell a rejection nobody awaited from one of its own.
 */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();
  readonly #failures: unknown[] = [];

  /**
   * The handle given to the migration: `db` itself to every method, builder and executor it
   * hands out, except that each promise one of them returns (an `execute()`, a raw query run
   * through `getExecutor()`) is counted until it settles.
   */
  watch(db: Kysely<any>): Kysely<any> {
    return this.#wrap(db);
  }

  /** How many of the started queries have not settled yet. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Waits until everything started has settled, including what settling work starts in turn.
   * Returns the errors of those that failed (in the order they failed).
   */
  async settle(): Promise<readonly unknown[]> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    return [...this.#failures];
  }

  /**
   * The promise handed to the migration awaits the query's own, so each has exactly one
   * reaction: V8 then keeps the async stack through the migration's `await`, which is how a
   * failure is located at its line in the migration file.
   */
  #track(promise: Promise<unknown>): Promise<unknown> {
    this.#pending.add(promise);
    const handed = (async () => {
      try {
        return await promise;
      } catch (error) {
        this.#failures.push(error);
        throw error;
      } finally {
        this.#pending.delete(promise);
      }
    })();
    HANDED.add(handed);
    return handed;
  }

  #wrap<T extends object>(target: T): T {
    return new Proxy(target, {
      // Read on the target itself: Kysely's objects keep their state in private fields.
      get: (object, key) => {
        const value: unknown = Reflect.get(object, key, object);
        if (typeof value !== 'function') return this.#follow(value);
        return (...args: unknown[]) =>
          this.#follow((value as (...a: unknown[]) => unknown).apply(object, args));
      },
    });
  }

  /** Counts a promise; wraps a builder, module or executor so that what it returns is followed too. */
  #follow(value: unknown): unknown {
    if (value instanceof Promise) return this.#track(value);
    return isKyselyObject(value) ? this.#wrap(value) : value;
  }
}

/**
 * Kysely's builders, modules and executors are class instances that are never frozen; query
 * results, compiled queries and operation nodes are plain or frozen objects, left as they are.
 */
function isKyselyObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null;
}
