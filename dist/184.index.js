export const id = 184;
export const ids = [184];
export const modules = {

/***/ 30184:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createEmbeddedThrowaway: () => (/* binding */ createEmbeddedThrowaway)
});

// EXTERNAL MODULE: external "@electric-sql/pglite"
var pglite_ = __webpack_require__(77556);
// EXTERNAL MODULE: external "kysely"
var external_kysely_ = __webpack_require__(18229);
;// CONCATENATED MODULE: ./src/core/parts/database/pglite-dialect.ts

/**
 * A Kysely dialect on an in-process PGlite. PGlite is one session, so the pool hands out
 * one client at a time: a transaction holds the session until it ends, as it would hold a
 * connection on a server. Given a function, the instance is asked for on the first query
 * (an instance started only when used).
 */
function createPgliteDialect(pglite) {
    return new external_kysely_.PostgresDialect({
        pool: new PglitePool(typeof pglite === 'function' ? pglite : async () => pglite),
    });
}
class PglitePool {
    #pglite;
    #queue = Promise.resolve();
    constructor(pglite) {
        this.#pglite = pglite;
    }
    async connect() {
        let release;
        const released = new Promise((resolve) => (release = resolve));
        const previous = this.#queue;
        this.#queue = previous.then(() => released);
        await previous;
        let pglite;
        try {
            pglite = await this.#pglite();
        }
        catch (error) {
            release();
            throw error;
        }
        // Streaming (the cursor overload) is never used by the engine, so the client omits it.
        return new PgliteClient(pglite, release);
    }
    async end() {
        // The owner of the PGlite instance closes it; ending the pool must not.
    }
}
class PgliteClient {
    #pglite;
    #release;
    constructor(pglite, release) {
        this.#pglite = pglite;
        this.#release = release;
    }
    async query(sql, parameters) {
        // Without parameters use the simple protocol, which (like pg) accepts several statements:
        // SQL migration files are often run whole.
        const result = parameters.length === 0
            ? lastResult(await this.#pglite.exec(sql))
            : await this.#pglite.query(sql, [...parameters]);
        return {
            command: commandOf(sql),
            rowCount: result.affectedRows ?? result.rows.length,
            rows: result.rows,
        };
    }
    release() {
        this.#release();
    }
}
function lastResult(results) {
    return (results.at(-1) ?? { rows: [], fields: [] });
}
/** Kysely reads the command to decide whether to report affected rows. */
function commandOf(sql) {
    const keyword = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
    if (keyword === 'INSERT' || keyword === 'UPDATE' || keyword === 'DELETE' || keyword === 'MERGE')
        return keyword;
    return 'SELECT';
}

// EXTERNAL MODULE: ./src/core/model/errors.ts
var errors = __webpack_require__(87794);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(98995);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/core/parts/throwaway/cache-file.ts
var cache_file = __webpack_require__(94988);
;// CONCATENATED MODULE: ./src/core/parts/throwaway/pglite-data-dir-cache.ts



/** The kind of cache file: its header names it. */
const KIND = 'pglite-data-dir';
/** The kind of the file beside it that holds the engine's version, read without starting it. */
const VERSION_KIND = 'pglite-server-version';
/**
 * The cache file for the pristine data directory of the installed PGlite, or undefined
 * when its version cannot be read. The version is in the name because another PGlite
 * (another Postgres, another initdb) cannot use this one's data directory.
 */
function pgliteDataDirCacheFile(env = process.env) {
    const folder = (0,cache_file/* cacheDirectory */.o3)(env);
    const version = installedPgliteVersion();
    if (folder === undefined || version === undefined)
        return undefined;
    return (0,external_node_path_.join)(folder, `pglite-${version.replace(/[^\w.+-]/g, '_')}-data-dir.tar`);
}
/** Reads and checks a cache file; any problem is a reason, never an exception. */
async function readCachedDataDir(file) {
    const read = await (0,cache_file/* readCacheFile */.l9)(file, KIND);
    if (!read.found)
        return read;
    // The type tells PGlite not to try gunzip first.
    return { found: true, tarball: read.payload.slice(0, read.payload.size, 'application/x-tar') };
}
/** The engine's version of the data directory cached in `file`, when it was cached too. */
async function readCachedServerVersion(file) {
    const read = await (0,cache_file/* readCacheFile */.l9)(versionFile(file), VERSION_KIND);
    return read.found ? await read.payload.text() : undefined;
}
/** Caches the engine's version of the data directory cached in `file`. */
function writeCachedServerVersion(file, serverVersion) {
    return (0,cache_file/* writeCacheFile */.kX)(versionFile(file), VERSION_KIND, Buffer.from(serverVersion, 'utf8'));
}
function versionFile(dataDirFile) {
    return `${dataDirFile}.server-version`;
}
/** Writes the cache file atomically (see writeCacheFile). */
function writeCachedDataDir(file, tarball) {
    return (0,cache_file/* writeCacheFile */.kX)(file, KIND, tarball);
}
let pgliteVersion;
/**
 * The version in PGlite's package.json. Its exports map hides package.json, so walk up from
 * the entry point to the folder that holds it.
 */
function installedPgliteVersion() {
    if (pgliteVersion === undefined)
        pgliteVersion = readPgliteVersion() ?? null;
    return pgliteVersion ?? undefined;
}
function readPgliteVersion() {
    const require = (0,external_node_module_.createRequire)(import.meta.url);
    let folder;
    try {
        folder = (0,external_node_path_.dirname)(require.resolve('@electric-sql/pglite'));
    }
    catch {
        return undefined;
    }
    for (;;) {
        try {
            const manifest = require((0,external_node_path_.join)(folder, 'package.json'));
            if (manifest.name === '@electric-sql/pglite' && typeof manifest.version === 'string') {
                return manifest.version;
            }
        }
        catch {
            // No package.json at this level: keep walking up.
        }
        const parent = (0,external_node_path_.dirname)(folder);
        if (parent === folder)
            return undefined;
        folder = parent;
    }
}

// EXTERNAL MODULE: external "node:v8"
var external_node_v8_ = __webpack_require__(78877);
;// CONCATENATED MODULE: ./src/core/parts/throwaway/pglite-wasm-tiering.ts

let applied = false;
/**
 * Keeps V8 on its baseline WebAssembly compiler (Liftoff) for the rest of the process, so it
 * does not re-optimise PGlite's Postgres build (a 9 MB module) with TurboFan.
 *
 * Why: on a two-core machine TurboFan's background compilation of the functions a proof makes
 * hot costs about 500 MB of peak RSS (1.0 GB instead of 0.5 GB) and competes with the proof for
 * the CPU; measured on `check` of 5 and of 100 migrations, the run was as fast or faster
 * without it, because migrations are short catalog work, never long enough to repay the
 * optimisation. (PGlite's `initialMemory` cannot go below the 128 MB its module declares, and a
 * smaller `shared_buffers` changed nothing measurable.)
 *
 * The flags are read when a module is compiled, so this must run before the first
 * `PGlite.create` of the process; later calls do nothing. It affects any WebAssembly compiled
 * afterwards in this process, which here is only PGlite. `--liftoff-only` would say the same
 * on the command line, but set at run time V8 ignores it: only the two flags it implies work.
 */
function keepPgliteOnBaselineCompiler() {
    if (applied)
        return;
    applied = true;
    (0,external_node_v8_.setFlagsFromString)('--no-wasm-dynamic-tiering');
    (0,external_node_v8_.setFlagsFromString)('--no-wasm-tier-up');
}

;// CONCATENATED MODULE: ./src/core/parts/throwaway/embedded-throwaway.ts
var __rewriteRelativeImportExtension = (undefined && undefined.__rewriteRelativeImportExtension) || function (path, preserveJsx) {
    if (typeof path === "string" && /^\.\.?\//.test(path)) {
        return path.replace(/\.(tsx)$|((?:\.d)?)((?:\.[^./]+?)?)\.([cm]?)ts$/i, function (m, tsx, d, ext, cm) {
            return tsx ? preserveJsx ? ".jsx" : ".js" : d && (!ext || !cm) ? m : (d + ext + "." + cm.toLowerCase() + "js");
        });
    }
    return path;
};






/**
 * The contrib extensions PGlite ships as loadable bundles, by their SQL name. Loading one
 * costs start-up time, so only those the migrations mention are loaded.
 */
const PGLITE_EXTENSIONS = {
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
async function createEmbeddedThrowaway(options) {
    if (options.dialect !== 'postgres') {
        throw new errors/* UsageError */.e('the embedded throwaway database is Postgres only; for mysql use --throwaway server --server-url mysql://... or --throwaway container');
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
/** Starts PGlite instances with the run's extensions and Kysely log hook. */
class Starter {
    #extensions;
    #options;
    constructor(extensions, options) {
        this.#extensions = extensions;
        this.#options = options;
    }
    /** An instance from a data directory tarball (else from initdb), started when first used. */
    later(dataDir) {
        return new Instance(() => this.#start(dataDir), this.#options);
    }
    /** An instance started now: a data directory it cannot load fails here. */
    async now(dataDir) {
        const instance = this.later(dataDir);
        try {
            await instance.pglite();
        }
        catch (error) {
            await instance.close();
            throw error;
        }
        return instance;
    }
    async #start(dataDir) {
        const tarball = typeof dataDir === 'function' ? await dataDir() : dataDir;
        const pglite = await pglite_.PGlite.create({
            extensions: this.#extensions,
            ...(tarball === undefined ? {} : { loadDataDir: tarball }),
            startParams: [...pglite_.PGlite.defaultStartParams, ...SMALL_BUFFERS],
        });
        this.#options.logger.debug('started embedded PGlite');
        return pglite;
    }
}
/** One PGlite instance and the Kysely on it; the instance starts on the first query. */
class Instance {
    db;
    #start;
    #pglite;
    constructor(start, options) {
        this.#start = start;
        this.db = new external_kysely_.Kysely({
            dialect: createPgliteDialect(() => this.pglite()),
            ...(options.log === undefined ? {} : { log: options.log }),
        });
    }
    pglite() {
        this.#pglite ??= this.#start();
        return this.#pglite;
    }
    async close() {
        await this.db.destroy().catch(() => { });
        const pglite = await this.#pglite?.catch(() => undefined);
        await pglite?.close().catch(() => { });
    }
}
class EmbeddedThrowaway {
    kind = 'embedded';
    dialect = 'postgres';
    serverVersion;
    #current;
    /** The data directory of a fresh instance, kept in memory so each reset is a load, not an initdb. */
    #pristine;
    #starter;
    constructor(first, pristine, serverVersion, starter) {
        this.#current = first;
        this.serverVersion = serverVersion;
        this.#pristine = pristine;
        this.#starter = starter;
    }
    get description() {
        return `embedded PGlite (PostgreSQL ${this.serverVersion})`;
    }
    get db() {
        return this.#current.db;
    }
    async reset() {
        // A new instance from the pristine data directory, not a cleanup of the old one: a failed
        // migration can leave anything behind (roles, databases, event triggers, ALTER SYSTEM,
        // an aborted transaction), and only a fresh data directory is empty by construction.
        // Close first, so two instances never hold memory at once.
        await this.#current.close();
        this.#current = await this.#starter.now(this.#pristine);
        return this.#current.db;
    }
    /** The data directory as a tarball: only the same PGlite build loads it. */
    state = {
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
            }
            catch (error) {
                this.#current = this.#starter.later(this.#pristine);
                throw error;
            }
            return this.#current.db;
        },
    };
    explainError(error) {
        const missing = /extension "([^"]+)" is not available/.exec((0,errors/* messageOf */.b)(error))?.[1];
        if (missing === undefined)
            return undefined;
        return `embedded Postgres (PGlite) cannot provide extension ${missing}; use --throwaway server --server-url postgres://... or --throwaway container`;
    }
    async [Symbol.asyncDispose]() {
        await this.#current.close();
    }
}
/**
 * The first instance: from the cached pristine data directory, started when first used when
 * the engine's version is cached too, else started now to read it; when there is no usable
 * cache file, from initdb, whose data directory is then cached. The cache only ever saves
 * time: a cache that cannot be read, loaded or written is logged and bypassed.
 */
async function startFirst(starter, logger) {
    const cacheFile = pgliteDataDirCacheFile();
    if (cacheFile === undefined) {
        logger.debug('no cache folder or PGlite version: the embedded database starts without a cache');
    }
    else {
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
            }
            catch (error) {
                logger.debug(`ignoring the cached data directory ${cacheFile}: PGlite cannot load it: ${(0,errors/* messageOf */.b)(error)}`);
            }
        }
        else {
            logger.debug(`not using the data directory cache ${cacheFile}: ${cached.reason}`);
        }
    }
    const first = await starter.now(undefined);
    try {
        const { pristine, serverVersion } = await dumpPristine(first, cacheFile, logger);
        return { first, pristine, serverVersion };
    }
    catch (error) {
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
function lazyPristine(starter, cacheFile, logger) {
    let made;
    return async () => {
        if (made !== undefined)
            return made;
        const cached = await readCachedDataDir(cacheFile);
        if (cached.found)
            return cached.tarball;
        logger.debug(`not using the data directory cache ${cacheFile}: ${cached.reason}`);
        const fresh = await starter.now(undefined);
        try {
            made = (await dumpPristine(fresh, cacheFile, logger)).pristine;
            return made;
        }
        finally {
            await fresh.close();
        }
    };
}
/**
 * The data directory of an instance fresh from initdb, and its engine version, both cached in
 * `cacheFile` when there is one (a failure to write is logged: the cache only saves time).
 */
async function dumpPristine(instance, cacheFile, logger) {
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
        }
        catch (error) {
            logger.debug(`could not write the data directory cache ${cacheFile}: ${(0,errors/* messageOf */.b)(error)}`);
        }
    }
    return { pristine, serverVersion };
}
async function readServerVersion(instance) {
    const result = await (await instance.pglite()).query('show server_version');
    const serverVersion = result.rows[0]?.server_version ?? 'unknown';
    return serverVersion;
}
async function cacheServerVersion(cacheFile, serverVersion, logger) {
    try {
        await writeCachedServerVersion(cacheFile, serverVersion);
    }
    catch (error) {
        logger.debug(`could not cache the PGlite server version beside ${cacheFile}: ${(0,errors/* messageOf */.b)(error)}`);
    }
}
/** A tarball PGlite loads as is: the type tells it not to try gunzip first. */
function tarBlob(bytes) {
    return new Blob([bytes], { type: 'application/x-tar' });
}
async function loadExtensionBundles(names) {
    const extensions = {};
    for (const name of new Set(names.map((n) => n.toLowerCase()))) {
        const module = PGLITE_EXTENSIONS[name];
        if (module === undefined)
            continue;
        // webpackIgnore: the action's bundle keeps PGlite as files beside it (scripts/dist-bundle.ts),
        // so this must stay a run-time import, not become a webpack context.
        const loaded = (await import(__rewriteRelativeImportExtension(
        /* webpackIgnore: true */ `@electric-sql/pglite/contrib/${module}`)));
        const extension = loaded[module];
        if (extension !== undefined)
            extensions[module] = extension;
    }
    return extensions;
}


/***/ })

};
