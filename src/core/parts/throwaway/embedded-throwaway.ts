import { PGlite } from '@electric-sql/pglite';
import type { Extensions } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { createPgliteDialect } from '../database/pglite-dialect.ts';
import { UsageError, messageOf } from '../../model/errors.ts';
import {
  installedPgliteVersion,
  pgliteDataDirCacheFile,
  readCachedDataDir,
  writeCachedDataDir,
} from './pglite-data-dir-cache.ts';
import { keepPgliteOnBaselineCompiler } from './pglite-wasm-tiering.ts';
import type { ThrowawayDatabase, ThrowawayOptions, ThrowawayState } from './throwaway.ts';

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

/**
 * Embedded Postgres in this process (PGlite): no server, no Docker. Postgres only.
 *
 * A fresh PGlite runs initdb, which takes seconds; so the first start dumps the pristine data
 * directory to a cache file, later starts load it (about a second), and `reset` loads it
 * again from memory.
 */
export async function createEmbeddedThrowaway(options: ThrowawayOptions): Promise<ThrowawayDatabase> {
  if (options.dialect !== 'postgres') {
    throw new UsageError(
      'the embedded throwaway database is Postgres only; for mysql use --throwaway server --server-url mysql://... or --throwaway container',
    );
  }
  // Before the first PGlite compiles its WebAssembly: halves the peak memory (see there).
  keepPgliteOnBaselineCompiler();
  const extensions = await loadExtensionBundles(options.extensions ?? []);
  const { first, pristine } = await startFirst(extensions, options);
  return new EmbeddedThrowaway(first, pristine, extensions, options);
}

interface Started {
  readonly pglite: PGlite;
  readonly db: Kysely<any>;
  readonly serverVersion: string;
}

class EmbeddedThrowaway implements ThrowawayDatabase {
  readonly kind = 'embedded';
  readonly dialect = 'postgres';
  readonly serverVersion: string;
  #current: Started;
  /** The data directory of a fresh instance, kept in memory so each reset is a load, not an initdb. */
  readonly #pristine: Blob;
  readonly #extensions: Extensions;
  readonly #options: ThrowawayOptions;

  constructor(started: Started, pristine: Blob, extensions: Extensions, options: ThrowawayOptions) {
    this.#current = started;
    this.serverVersion = started.serverVersion;
    this.#pristine = pristine;
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
    // A new instance from the pristine data directory, not a cleanup of the old one: a failed
    // migration can leave anything behind (roles, databases, event triggers, ALTER SYSTEM,
    // an aborted transaction), and only a fresh data directory is empty by construction.
    // Close first, so two instances never hold memory at once.
    await closeStarted(this.#current);
    this.#current = await startPglite(this.#extensions, this.#options, this.#pristine);
    return this.#current.db;
  }

  /** The data directory as a tarball: only the same PGlite build loads it. */
  readonly state: ThrowawayState = {
    format: `pglite-${installedPgliteVersion() ?? 'unknown'}-data-dir`,
    save: async () => {
      // The checkpoint writes every page to its file, so a load needs no write-ahead log replay.
      await this.#current.pglite.exec('checkpoint');
      const tarball = await this.#current.pglite.dumpDataDir('none');
      return new Uint8Array(await tarball.arrayBuffer());
    },
    load: async (saved) => {
      await closeStarted(this.#current);
      try {
        this.#current = await startPglite(this.#extensions, this.#options, tarBlob(saved));
      } catch (error) {
        this.#current = await startPglite(this.#extensions, this.#options, this.#pristine);
        throw error;
      }
      return this.#current.db;
    },
  };

  explainError(error: unknown): string | undefined {
    const missing = /extension "([^"]+)" is not available/.exec(messageOf(error))?.[1];
    if (missing === undefined) return undefined;
    return `embedded Postgres (PGlite) cannot provide extension ${missing}; use --throwaway server --server-url postgres://... or --throwaway container`;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await closeStarted(this.#current);
  }
}

/**
 * Starts the first instance from the cached pristine data directory, or, when there is no
 * usable cache file, from initdb, and then caches its data directory. The cache only ever
 * saves time: a cache that cannot be read, loaded or written is logged and bypassed.
 */
async function startFirst(
  extensions: Extensions,
  options: ThrowawayOptions,
): Promise<{ first: Started; pristine: Blob }> {
  const { logger } = options;
  const cacheFile = pgliteDataDirCacheFile();
  if (cacheFile === undefined) {
    logger.debug('no cache folder or PGlite version: the embedded database starts without a cache');
  } else {
    const cached = await readCachedDataDir(cacheFile);
    if (cached.found) {
      try {
        const first = await startPglite(extensions, options, cached.tarball);
        logger.debug(`started embedded PGlite from the cached data directory ${cacheFile}`);
        return { first, pristine: cached.tarball };
      } catch (error) {
        logger.debug(
          `ignoring the cached data directory ${cacheFile}: PGlite cannot load it: ${messageOf(error)}`,
        );
      }
    } else {
      logger.debug(`not using the data directory cache ${cacheFile}: ${cached.reason}`);
    }
  }

  const first = await startPglite(extensions, options, undefined);
  let pristine: Blob;
  try {
    // Dumped before any migration runs, so the tarball is the data directory initdb left.
    // Extensions are not in it: their files live outside the data directory, and each start
    // passes them again. The checkpoint writes every page to its file first, so a load
    // starts from a consistent image instead of replaying the write-ahead log.
    await first.pglite.exec('checkpoint');
    pristine = await first.pglite.dumpDataDir('none');
  } catch (error) {
    await closeStarted(first);
    throw error;
  }
  if (cacheFile !== undefined) {
    try {
      await writeCachedDataDir(cacheFile, new Uint8Array(await pristine.arrayBuffer()));
      logger.debug(`cached the pristine PGlite data directory in ${cacheFile}`);
    } catch (error) {
      logger.debug(`could not write the data directory cache ${cacheFile}: ${messageOf(error)}`);
    }
  }
  return { first, pristine };
}

/** Starts an instance, from a data directory tarball when given, else from initdb. */
async function startPglite(
  extensions: Extensions,
  options: ThrowawayOptions,
  dataDir: Blob | undefined,
): Promise<Started> {
  const pglite = await PGlite.create({
    extensions,
    ...(dataDir === undefined ? {} : { loadDataDir: dataDir }),
  });
  const db = new Kysely<any>({
    dialect: createPgliteDialect(pglite),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  try {
    const result = await sql<{ server_version: string }>`show server_version`.execute(db);
    const serverVersion = result.rows[0]?.server_version ?? 'unknown';
    options.logger.debug(`started embedded PGlite (PostgreSQL ${serverVersion})`);
    return { pglite, db, serverVersion };
  } catch (error) {
    await closeStarted({ pglite, db });
    throw error;
  }
}

/** A tarball PGlite loads as is: the type tells it not to try gunzip first. */
function tarBlob(bytes: Uint8Array): Blob {
  return new Blob([bytes], { type: 'application/x-tar' });
}

async function closeStarted(started: Pick<Started, 'pglite' | 'db'>): Promise<void> {
  await started.db.destroy().catch(() => {});
  await started.pglite.close().catch(() => {});
}

async function loadExtensionBundles(names: readonly string[]): Promise<Extensions> {
  const extensions: Extensions = {};
  for (const name of new Set(names.map((n) => n.toLowerCase()))) {
    const module = PGLITE_EXTENSIONS[name];
    if (module === undefined) continue;
    // webpackIgnore: the action's bundle keeps PGlite as files beside it (scripts/dist-bundle.ts),
    // so this must stay a run-time import, not become a webpack context.
    const loaded = (await import(
      /* webpackIgnore: true */ `@electric-sql/pglite/contrib/${module}`
    )) as Record<string, Extensions[string]>;
    const extension = loaded[module];
    if (extension !== undefined) extensions[module] = extension;
  }
  return extensions;
}
