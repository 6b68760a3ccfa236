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
 * connection on a server.
 */
function createPgliteDialect(pglite) {
    return new external_kysely_.PostgresDialect({ pool: new PglitePool(pglite) });
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
        // Streaming (the cursor overload) is never used by the engine, so the client omits it.
        return new PgliteClient(this.#pglite, release);
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
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(98995);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./src/core/parts/throwaway/pglite-data-dir-cache.ts





/**
 * The first line of a cache file. The SHA-256 of the tarball follows it, so a truncated or
 * damaged file is recognised before PGlite loads it: a bad data directory would otherwise
 * start and fail later, half-way through a proof, with a misleading error.
 */
const HEADER_PREFIX = 'migration-gate pglite-data-dir 1 sha256:';
/** Prefix, 64 hex digits, newline. */
const HEADER_LENGTH = HEADER_PREFIX.length + 64 + 1;
/**
 * The folder migration-gate caches files in: `MIGRATION_GATE_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/migration-gate`, else `~/.cache/migration-gate`; undefined when there
 * is no home to put it in (then nothing is cached).
 */
function cacheDirectory(env = process.env) {
    const explicit = env['MIGRATION_GATE_CACHE_DIR'];
    if (explicit !== undefined && explicit !== '')
        return explicit;
    // The XDG spec says to ignore a relative XDG_CACHE_HOME: it would depend on the working directory.
    const xdg = env['XDG_CACHE_HOME'];
    if (xdg !== undefined && (0,external_node_path_.isAbsolute)(xdg))
        return (0,external_node_path_.join)(xdg, 'migration-gate');
    let home;
    try {
        home = (0,external_node_os_.homedir)();
    }
    catch {
        return undefined;
    }
    return home === '' ? undefined : (0,external_node_path_.join)(home, '.cache', 'migration-gate');
}
/**
 * The cache file for the pristine data directory of the installed PGlite, or undefined
 * when its version cannot be read. The version is in the name because another PGlite
 * (another Postgres, another initdb) cannot use this one's data directory.
 */
function pgliteDataDirCacheFile(env = process.env) {
    const folder = cacheDirectory(env);
    const version = installedPgliteVersion();
    if (folder === undefined || version === undefined)
        return undefined;
    return (0,external_node_path_.join)(folder, `pglite-${version.replace(/[^\w.+-]/g, '_')}-data-dir.tar`);
}
/** Reads and checks a cache file; any problem is a reason, never an exception. */
async function readCachedDataDir(file) {
    let bytes;
    try {
        bytes = await (0,promises_.readFile)(file);
    }
    catch (error) {
        const missing = error.code === 'ENOENT';
        return { found: false, reason: missing ? 'no cache file yet' : `unreadable: ${String(error)}` };
    }
    const header = bytes.subarray(0, HEADER_LENGTH).toString('latin1');
    if (!header.startsWith(HEADER_PREFIX) || !header.endsWith('\n')) {
        return { found: false, reason: 'not a migration-gate data directory cache file' };
    }
    const tarball = bytes.subarray(HEADER_LENGTH);
    if (sha256(tarball) !== header.slice(HEADER_PREFIX.length, -1)) {
        return { found: false, reason: 'checksum mismatch (truncated or damaged)' };
    }
    // The type tells PGlite not to try gunzip first.
    return { found: true, tarball: new Blob([tarball], { type: 'application/x-tar' }) };
}
/**
 * Writes a cache file atomically: to a unique temporary name, then renamed over the old
 * one, so a concurrent run or a killed process never leaves a half-written file to read.
 */
async function writeCachedDataDir(file, tarball) {
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(file), { recursive: true });
    const temporary = `${file}.${process.pid}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`;
    try {
        await (0,promises_.writeFile)(temporary, [Buffer.from(`${HEADER_PREFIX}${sha256(tarball)}\n`, 'latin1'), tarball]);
        await (0,promises_.rename)(temporary, file);
    }
    catch (error) {
        await (0,promises_.rm)(temporary, { force: true }).catch(() => { });
        throw error;
    }
}
function sha256(bytes) {
    return (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex');
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
 * again from memory.
 */
async function createEmbeddedThrowaway(options) {
    if (options.dialect !== 'postgres') {
        throw new errors/* UsageError */.e('the embedded throwaway database is Postgres only; for mysql use --throwaway server --server-url mysql://... or --throwaway container');
    }
    // Before the first PGlite compiles its WebAssembly: halves the peak memory (see there).
    keepPgliteOnBaselineCompiler();
    const extensions = await loadExtensionBundles(options.extensions ?? []);
    const { first, pristine } = await startFirst(extensions, options);
    return new EmbeddedThrowaway(first, pristine, extensions, options);
}
class EmbeddedThrowaway {
    kind = 'embedded';
    dialect = 'postgres';
    serverVersion;
    #current;
    /** The data directory of a fresh instance, kept in memory so each reset is a load, not an initdb. */
    #pristine;
    #extensions;
    #options;
    constructor(started, pristine, extensions, options) {
        this.#current = started;
        this.serverVersion = started.serverVersion;
        this.#pristine = pristine;
        this.#extensions = extensions;
        this.#options = options;
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
        await closeStarted(this.#current);
        this.#current = await startPglite(this.#extensions, this.#options, this.#pristine);
        return this.#current.db;
    }
    explainError(error) {
        const missing = /extension "([^"]+)" is not available/.exec((0,errors/* messageOf */.b)(error))?.[1];
        if (missing === undefined)
            return undefined;
        return `embedded Postgres (PGlite) cannot provide extension ${missing}; use --throwaway server --server-url postgres://... or --throwaway container`;
    }
    async [Symbol.asyncDispose]() {
        await closeStarted(this.#current);
    }
}
/**
 * Starts the first instance from the cached pristine data directory, or, when there is no
 * usable cache file, from initdb, and then caches its data directory. The cache only ever
 * saves time: a cache that cannot be read, loaded or written is logged and bypassed.
 */
async function startFirst(extensions, options) {
    const { logger } = options;
    const cacheFile = pgliteDataDirCacheFile();
    if (cacheFile === undefined) {
        logger.debug('no cache folder or PGlite version: the embedded database starts without a cache');
    }
    else {
        const cached = await readCachedDataDir(cacheFile);
        if (cached.found) {
            try {
                const first = await startPglite(extensions, options, cached.tarball);
                logger.debug(`started embedded PGlite from the cached data directory ${cacheFile}`);
                return { first, pristine: cached.tarball };
            }
            catch (error) {
                logger.debug(`ignoring the cached data directory ${cacheFile}: PGlite cannot load it: ${(0,errors/* messageOf */.b)(error)}`);
            }
        }
        else {
            logger.debug(`not using the data directory cache ${cacheFile}: ${cached.reason}`);
        }
    }
    const first = await startPglite(extensions, options, undefined);
    let pristine;
    try {
        // Dumped before any migration runs, so the tarball is the data directory initdb left.
        // Extensions are not in it: their files live outside the data directory, and each start
        // passes them again. The checkpoint writes every page to its file first, so a load
        // starts from a consistent image instead of replaying the write-ahead log.
        await first.pglite.exec('checkpoint');
        pristine = await first.pglite.dumpDataDir('none');
    }
    catch (error) {
        await closeStarted(first);
        throw error;
    }
    if (cacheFile !== undefined) {
        try {
            await writeCachedDataDir(cacheFile, new Uint8Array(await pristine.arrayBuffer()));
            logger.debug(`cached the pristine PGlite data directory in ${cacheFile}`);
        }
        catch (error) {
            logger.debug(`could not write the data directory cache ${cacheFile}: ${(0,errors/* messageOf */.b)(error)}`);
        }
    }
    return { first, pristine };
}
/** Starts an instance, from a data directory tarball when given, else from initdb. */
async function startPglite(extensions, options, dataDir) {
    const pglite = await pglite_.PGlite.create({
        extensions,
        ...(dataDir === undefined ? {} : { loadDataDir: dataDir }),
    });
    const db = new external_kysely_.Kysely({
        dialect: createPgliteDialect(pglite),
        ...(options.log === undefined ? {} : { log: options.log }),
    });
    try {
        const result = await (0,external_kysely_.sql) `show server_version`.execute(db);
        const serverVersion = result.rows[0]?.server_version ?? 'unknown';
        options.logger.debug(`started embedded PGlite (PostgreSQL ${serverVersion})`);
        return { pglite, db, serverVersion };
    }
    catch (error) {
        await closeStarted({ pglite, db });
        throw error;
    }
}
async function closeStarted(started) {
    await started.db.destroy().catch(() => { });
    await started.pglite.close().catch(() => { });
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
