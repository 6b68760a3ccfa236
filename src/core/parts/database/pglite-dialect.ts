import type { PGlite, Results } from '@electric-sql/pglite';
import { PostgresDialect } from 'kysely';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * A Kysely dialect on an in-process PGlite. PGlite is one session, so the pool hands out
 * one client at a time: a transaction holds the session until it ends, as it would hold a
 * connection on a server. Given a function, the instance is asked for on the first query
 * (an instance started only when used).
 */
export function createPgliteDialect(pglite: PGlite | (() => Promise<PGlite>)): PostgresDialect {
  return new PostgresDialect({
    pool: new PglitePool(typeof pglite === 'function' ? pglite : async () => pglite),
  });
}

class PglitePool implements PostgresPool {
  readonly #pglite: () => Promise<PGlite>;
  #queue: Promise<void> = Promise.resolve();

  constructor(pglite: () => Promise<PGlite>) {
    this.#pglite = pglite;
  }

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#queue;
    this.#queue = previous.then(() => released);
    await previous;
    let pglite: PGlite;
    try {
      pglite = await this.#pglite();
    } catch (error) {
      release();
      throw error;
    }
    // Streaming (the cursor overload) is never used by the engine, so the client omits it.
    return new PgliteClient(pglite, release) as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    // The owner of the PGlite instance closes it; ending the pool must not.
  }
}

class PgliteClient {
  readonly #pglite: PGlite;
  readonly #release: () => void;

  constructor(pglite: PGlite, release: () => void) {
    this.#pglite = pglite;
    this.#release = release;
  }

  async query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
    // Without parameters use the simple protocol, which (like pg) accepts several statements:
    // SQL migration files are often run whole.
    const result: Results<R> =
      parameters.length === 0
        ? lastResult(await this.#pglite.exec(sql))
        : await this.#pglite.query<R>(sql, [...parameters]);
    return {
      command: commandOf(sql),
      rowCount: result.affectedRows ?? result.rows.length,
      rows: result.rows,
    };
  }

  release(): void {
    this.#release();
  }
}

function lastResult<R>(results: Results[]): Results<R> {
  return (results.at(-1) ?? { rows: [], fields: [] }) as Results<R>;
}

/** Kysely reads the command to decide whether to report affected rows. */
function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
  const keyword = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  if (keyword === 'INSERT' || keyword === 'UPDATE' || keyword === 'DELETE' || keyword === 'MERGE')
    return keyword;
  return 'SELECT';
}
