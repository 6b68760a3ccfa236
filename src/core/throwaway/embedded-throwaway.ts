import { PGlite } from '@electric-sql/pglite';
import type { Extensions } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { createPgliteDialect } from '../database/pglite-dialect.ts';
import { UsageError, messageOf } from '../errors.ts';
import type { ThrowawayDatabase, ThrowawayOptions } from './throwaway.ts';

/**
 * The contrib extensions PGlite ships as loadable bundles, by their SQL name. Loading one
 * costs start-up time, so only those the migrations mention are loaded.
 */
const PGLITE_EXTENSIONS: Readonly<Record<string, string>> = {
  amcheck: 'amcheck',
  bloom: 'bloom',
  btree_gin: 'btree_gin',
  btree_gist: 'btree_gist',
  citext: 'citext',
  cube: 'cube',
  dict_int: 'dict_int',
  dict_xsyn: 'dict_xsyn',
  earthdistance: 'earthdistance',
  fuzzystrmatch: 'fuzzystrmatch',
  hstore: 'hstore',
  intarray: 'intarray',
  isn: 'isn',
  lo: 'lo',
  ltree: 'ltree',
  pg_trgm: 'pg_trgm',
  pgcrypto: 'pgcrypto',
  seg: 'seg',
  tablefunc: 'tablefunc',
  tcn: 'tcn',
  tsm_system_rows: 'tsm_system_rows',
  tsm_system_time: 'tsm_system_time',
  unaccent: 'unaccent',
  'uuid-ossp': 'uuid_ossp',
};

/** Embedded Postgres in this process (PGlite): no server, no Docker. Postgres only. */
export async function createEmbeddedThrowaway(options: ThrowawayOptions): Promise<ThrowawayDatabase> {
  if (options.dialect !== 'postgres') {
    throw new UsageError(
      'the embedded throwaway database is Postgres only; for mysql use --throwaway server --server-url mysql://... or --throwaway container',
    );
  }
  const extensions = await loadExtensionBundles(options.extensions ?? []);
  const first = await startPglite(extensions, options);
  return new EmbeddedThrowaway(first, extensions, options);
}

interface Started {
  readonly pglite: PGlite;
  readonly db: Kysely<any>;
}

class EmbeddedThrowaway implements ThrowawayDatabase {
  readonly kind = 'embedded';
  readonly dialect = 'postgres';
  readonly serverVersion: string;
  #current: Started;
  readonly #extensions: Extensions;
  readonly #options: ThrowawayOptions;

  constructor(
    started: Started & { serverVersion: string },
    extensions: Extensions,
    options: ThrowawayOptions,
  ) {
    this.#current = started;
    this.serverVersion = started.serverVersion;
    this.#extensions = extensions;
    this.#options = options;
  }

  get description(): string {
    return `embedded PGlite (PostgreSQL ${this.serverVersion})`;
  }

  get db(): Kysely<any> {
    return this.#current.db;
  }

  async reset(): Promise<Kysely<any>> {
    await closeStarted(this.#current);
    this.#current = await startPglite(this.#extensions, this.#options);
    return this.#current.db;
  }

  explainError(error: unknown): string | undefined {
    const missing = /extension "([^"]+)" is not available/.exec(messageOf(error))?.[1];
    if (missing === undefined) return undefined;
    return `embedded Postgres (PGlite) cannot provide extension ${missing}; use --throwaway server --server-url postgres://... or --throwaway container`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await closeStarted(this.#current);
  }
}

async function startPglite(
  extensions: Extensions,
  options: ThrowawayOptions,
): Promise<Started & { serverVersion: string }> {
  const pglite = await PGlite.create({ extensions });
  const db = new Kysely<any>({
    dialect: createPgliteDialect(pglite),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const result = await sql<{ server_version: string }>`show server_version`.execute(db);
  const serverVersion = result.rows[0]?.server_version ?? 'unknown';
  options.logger.debug(`started embedded PGlite (PostgreSQL ${serverVersion})`);
  return { pglite, db, serverVersion };
}

async function closeStarted(started: Started): Promise<void> {
  await started.db.destroy().catch(() => {});
  await started.pglite.close().catch(() => {});
}

async function loadExtensionBundles(names: readonly string[]): Promise<Extensions> {
  const extensions: Extensions = {};
  for (const name of new Set(names.map((n) => n.toLowerCase()))) {
    const module = PGLITE_EXTENSIONS[name];
    if (module === undefined) continue;
    const loaded = (await import(`@electric-sql/pglite/contrib/${module}`)) as Record<
      string,
      Extensions[string]
    >;
    const extension = loaded[module];
    if (extension !== undefined) extensions[module] = extension;
  }
  return extensions;
}
