import { PGlite } from '@electric-sql/pglite';
import type { Extensions } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { createPgliteDialect } from '../database/pglite-dialect.ts';
import { UsageError, messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import {
  installedPgliteVersion,
  pgliteDataDirCacheFile,
  readCachedDataDir,
  readCachedServerVersion,
  writeCachedDataDir,
  writeCachedServerVersion,
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
 * again from memory. With that cache (and the engine version cached beside it) the first
 * instance starts only when first used: a check that loads a saved state never starts it.
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
  const starter = new Starter(extensions, options);
  const { first, pristine, serverVersion } = await startFirst(starter, options.logger);
  return new EmbeddedThrowaway(first, pristine, serverVersion, starter);
}

/**
 * Shared buffers of 16 MB instead of Postgres's 128 MB: they live in PGlite's WebAssembly
 * memory, which never shrinks, and a proof's catalog work fits in far less. Lowers the peak
 * RSS of an embedded check by about 90 MB (bench: embedded).
 */
const SMALL_BUFFERS = ['-c', 'shared_buffers=16MB'];

/** A data directory tarball, or a way to read it when needed; undefined: initdb. */
type DataDir = Blob | undefined | (() => Promise<Blob | undefined>);

/** Starts PGlite instances with the run's extensions and Kysely log hook. */
class Starter {
  readonly #extensions: Extensions;
  readonly #options: ThrowawayOptions;

  constructor(extensions: Extensions, options: ThrowawayOptions) {
    this.#extensions = extensions;
    this.#options = options;
  }

  /** An instance from a data directory tarball (else from initdb), started when first used. */
  later(dataDir: DataDir): Instance {
    return new Instance(() => this.#start(dataDir), this.#options);
  }

  /** An instance started now: a data directory it cannot load fails here. */
  async now(dataDir: DataDir): Promise<Instance> {
    const instance = this.later(dataDir);
    try {
      await instance.pglite();
    } catch (error) {
      await instance.close();
      throw error;
    }
    return instance;
  }

  async #start(dataDir: DataDir): Promise<PGlite> {
    const tarball = typeof dataDir === 'function' ? await dataDir() : dataDir;
    const pglite = await PGlite.create({
      extensions: this.#extensions,
      ...(tarball === undefined ? {} : { loadDataDir: tarball }),
      startParams: [...PGlite.defaultStartParams, ...SMALL_BUFFERS],
    });
    this.#options.logger.debug('started embedded PGlite');
    return pglite;
  }
}

/** One PGlite instance and the Kysely on it; the instance starts on the first query. */
class Instance {
  readonly db: Kysely<any>;
  readonly #start: () => Promise<PGlite>;
  #pglite: Promise<PGlite> | undefined;

  constructor(start: () => Promise<PGlite>, options: ThrowawayOptions) {
    this.#start = start;
    this.db = new Kysely<any>({
      dialect: createPgliteDialect(() => this.pglite()),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  }

  pglite(): Promise<PGlite> {
    this.#pglite ??= this.#start();
    return this.#pglite;
  }

  async close(): Promise<void> {
    await this.db.destroy().catch(() => {});
    const pglite = await this.#pglite?.catch(() => undefined);
    await pglite?.close().catch(() => {});
  }
}

class EmbeddedThrowaway implements ThrowawayDatabase {
  readonly kind = 'embedded';
  readonly dialect = 'postgres';
  readonly serverVersion: string;
  #current: Instance;
  /** The data directory of a fresh instance, kept in memory so each reset is a load, not an initdb. */
  readonly #pristine: DataDir;
  readonly #starter: Starter;

  constructor(first: Instance, pristine: DataDir, serverVersion: string, starter: Starter) {
    this.#current = first;
    this.serverVersion = serverVersion;
    this.#pristine = pristine;
    this.#starter = starter;
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
    await this.#current.close();
    this.#current = await this.#starter.now(this.#pristine);
    return this.#current.db;
  }

  /** The data directory as a tarball: only the same PGlite build loads it. */
  readonly state: ThrowawayState = {
    format: `pglite-${installedPgliteVersion() ?? 'unknown'}-data-dir`,
    save: async () => {
      const pglite = await this.#current.pglite();
      // The checkpoint writes every page to its file, so a load needs no write-ahead log replay.
      await pglite.exec('checkpoint');
      return new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer());
    },
    load: async (saved) => {
      await this.#current.close();
      try {
        this.#current = await this.#starter.now(tarBlob(saved));
      } catch (error) {
        this.#current = this.#starter.later(this.#pristine);
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
    await this.#current.close();
  }
}

interface First {
  readonly first: Instance;
  readonly pristine: DataDir;
  readonly serverVersion: string;
}

/**
 * The first instance: from the cached pristine data directory, started when first used when
 * the engine's version is cached too, else started now to read it; when there is no usable
 * cache file, from initdb, whose data directory is then cached. The cache only ever saves
 * time: a cache that cannot be read, loaded or written is logged and bypassed.
 */
async function startFirst(starter: Starter, logger: Logger): Promise<First> {
  const cacheFile = pgliteDataDirCacheFile();
  if (cacheFile === undefined) {
    logger.debug('no cache folder or PGlite version: the embedded database starts without a cache');
  } else {
    const cachedVersion = await readCachedServerVersion(cacheFile);
    if (cachedVersion !== undefined) {
      logger.debug(`embedded PGlite starts from the cached data directory ${cacheFile} when first used`);
      const pristine = lazyPristine(starter, cacheFile, logger);
      return { first: starter.later(pristine), pristine, serverVersion: cachedVersion };
    }
    const cached = await readCachedDataDir(cacheFile);
    if (cached.found) {
      try {
        const first = await starter.now(cached.tarball);
        logger.debug(`started embedded PGlite from the cached data directory ${cacheFile}`);
        const serverVersion = await readServerVersion(first);
        await cacheServerVersion(cacheFile, serverVersion, logger);
        return { first, pristine: lazyPristine(starter, cacheFile, logger), serverVersion };
      } catch (error) {
        logger.debug(
          `ignoring the cached data directory ${cacheFile}: PGlite cannot load it: ${messageOf(error)}`,
        );
      }
    } else {
      logger.debug(`not using the data directory cache ${cacheFile}: ${cached.reason}`);
    }
  }
  const first = await starter.now(undefined);
  try {
    const { pristine, serverVersion } = await dumpPristine(first, cacheFile, logger);
    return { first, pristine, serverVersion };
  } catch (error) {
    await first.close();
    throw error;
  }
}

/**
 * The cached pristine data directory, read only when an instance starts from it: a check that
 * loads a saved state never does. Checked and opened afresh for each start, since the tarball
 * is backed by the file, which another run may have replaced since; a file gone bad is made
 * again by initdb, and that tarball is kept in memory.
 */
function lazyPristine(starter: Starter, cacheFile: string, logger: Logger): () => Promise<Blob> {
  let made: Blob | undefined;
  return async () => {
    if (made !== undefined) return made;
    const cached = await readCachedDataDir(cacheFile);
    if (cached.found) return cached.tarball;
    logger.debug(`not using the data directory cache ${cacheFile}: ${cached.reason}`);
    const fresh = await starter.now(undefined);
    try {
      made = (await dumpPristine(fresh, cacheFile, logger)).pristine;
      return made;
    } finally {
      await fresh.close();
    }
  };
}

/**
 * The data directory of an instance fresh from initdb, and its engine version, both cached in
 * `cacheFile` when there is one (a failure to write is logged: the cache only saves time).
 */
async function dumpPristine(
  instance: Instance,
  cacheFile: string | undefined,
  logger: Logger,
): Promise<{ pristine: Blob; serverVersion: string }> {
  const serverVersion = await readServerVersion(instance);
  // Dumped before any migration runs, so the tarball is the data directory initdb left.
  // Extensions are not in it: their files live outside the data directory, and each start
  // passes them again. The checkpoint writes every page to its file first, so a load
  // starts from a consistent image instead of replaying the write-ahead log.
  const pglite = await instance.pglite();
  await pglite.exec('checkpoint');
  const pristine = await pglite.dumpDataDir('none');
  if (cacheFile !== undefined) {
    try {
      await writeCachedDataDir(cacheFile, new Uint8Array(await pristine.arrayBuffer()));
      logger.debug(`cached the pristine PGlite data directory in ${cacheFile}`);
      await cacheServerVersion(cacheFile, serverVersion, logger);
    } catch (error) {
      logger.debug(`could not write the data directory cache ${cacheFile}: ${messageOf(error)}`);
    }
  }
  return { pristine, serverVersion };
}

async function readServerVersion(instance: Instance): Promise<string> {
  const result = await (await instance.pglite()).query<{ server_version: string }>('show server_version');
  const serverVersion = result.rows[0]?.server_version ?? 'unknown';
  return serverVersion;
}

async function cacheServerVersion(cacheFile: string, serverVersion: string, logger: Logger): Promise<void> {
  try {
    await writeCachedServerVersion(cacheFile, serverVersion);
  } catch (error) {
    logger.debug(`could not cache the PGlite server version beside ${cacheFile}: ${messageOf(error)}`);
  }
}

/** A tarball PGlite loads as is: the type tells it not to try gunzip first. */
function tarBlob(bytes: Uint8Array): Blob {
  return new Blob([bytes], { type: 'application/x-tar' });
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
