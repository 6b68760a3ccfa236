export const id = 344;
export const ids = [344];
export const modules = {

/***/ 47117:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


function __export(m) {
    for (var p in m) if (!exports.hasOwnProperty(p)) exports[p] = m[p];
}
Object.defineProperty(exports, "__esModule", ({ value: true }));
__export(__webpack_require__(63972));
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 63972:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
const fs_1 = __webpack_require__(79896);
const debug_1 = __importDefault(__webpack_require__(2830));
const log = debug_1.default('@kwsites/file-exists');
function check(path, isFile, isDirectory) {
    log(`checking %s`, path);
    try {
        const stat = fs_1.statSync(path);
        if (stat.isFile() && isFile) {
            log(`[OK] path represents a file`);
            return true;
        }
        if (stat.isDirectory() && isDirectory) {
            log(`[OK] path represents a directory`);
            return true;
        }
        log(`[FAIL] path represents something other than a file or directory`);
        return false;
    }
    catch (e) {
        if (e.code === 'ENOENT') {
            log(`[FAIL] path is not accessible: %o`, e);
            return false;
        }
        log(`[FATAL] %o`, e);
        throw e;
    }
}
/**
 * Synchronous validation of a path existing either as a file or as a directory.
 *
 * @param {string} path The path to check
 * @param {number} type One or both of the exported numeric constants
 */
function exists(path, type = exports.READABLE) {
    return check(path, (type & exports.FILE) > 0, (type & exports.FOLDER) > 0);
}
exports.exists = exists;
/**
 * Constant representing a file
 */
exports.FILE = 1;
/**
 * Constant representing a folder
 */
exports.FOLDER = 2;
/**
 * Constant representing either a file or a folder
 */
exports.READABLE = exports.FILE + exports.FOLDER;
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 75913:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.findMadeSync = exports.findMade = void 0;
const path_1 = __webpack_require__(16928);
const findMade = async (opts, parent, path) => {
    // we never want the 'made' return value to be a root directory
    if (path === parent) {
        return;
    }
    return opts.statAsync(parent).then(st => (st.isDirectory() ? path : undefined), // will fail later
    // will fail later
    er => {
        const fer = er;
        return fer && fer.code === 'ENOENT'
            ? (0, exports.findMade)(opts, (0, path_1.dirname)(parent), parent)
            : undefined;
    });
};
exports.findMade = findMade;
const findMadeSync = (opts, parent, path) => {
    if (path === parent) {
        return undefined;
    }
    try {
        return opts.statSync(parent).isDirectory() ? path : undefined;
    }
    catch (er) {
        const fer = er;
        return fer && fer.code === 'ENOENT'
            ? (0, exports.findMadeSync)(opts, (0, path_1.dirname)(parent), parent)
            : undefined;
    }
};
exports.findMadeSync = findMadeSync;
//# sourceMappingURL=find-made.js.map

/***/ }),

/***/ 36382:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.mkdirp = exports.nativeSync = exports.native = exports.manualSync = exports.manual = exports.sync = exports.mkdirpSync = exports.useNativeSync = exports.useNative = exports.mkdirpNativeSync = exports.mkdirpNative = exports.mkdirpManualSync = exports.mkdirpManual = void 0;
const mkdirp_manual_js_1 = __webpack_require__(296);
const mkdirp_native_js_1 = __webpack_require__(61261);
const opts_arg_js_1 = __webpack_require__(62491);
const path_arg_js_1 = __webpack_require__(38686);
const use_native_js_1 = __webpack_require__(28225);
/* c8 ignore start */
var mkdirp_manual_js_2 = __webpack_require__(296);
Object.defineProperty(exports, "mkdirpManual", ({ enumerable: true, get: function () { return mkdirp_manual_js_2.mkdirpManual; } }));
Object.defineProperty(exports, "mkdirpManualSync", ({ enumerable: true, get: function () { return mkdirp_manual_js_2.mkdirpManualSync; } }));
var mkdirp_native_js_2 = __webpack_require__(61261);
Object.defineProperty(exports, "mkdirpNative", ({ enumerable: true, get: function () { return mkdirp_native_js_2.mkdirpNative; } }));
Object.defineProperty(exports, "mkdirpNativeSync", ({ enumerable: true, get: function () { return mkdirp_native_js_2.mkdirpNativeSync; } }));
var use_native_js_2 = __webpack_require__(28225);
Object.defineProperty(exports, "useNative", ({ enumerable: true, get: function () { return use_native_js_2.useNative; } }));
Object.defineProperty(exports, "useNativeSync", ({ enumerable: true, get: function () { return use_native_js_2.useNativeSync; } }));
/* c8 ignore stop */
const mkdirpSync = (path, opts) => {
    path = (0, path_arg_js_1.pathArg)(path);
    const resolved = (0, opts_arg_js_1.optsArg)(opts);
    return (0, use_native_js_1.useNativeSync)(resolved)
        ? (0, mkdirp_native_js_1.mkdirpNativeSync)(path, resolved)
        : (0, mkdirp_manual_js_1.mkdirpManualSync)(path, resolved);
};
exports.mkdirpSync = mkdirpSync;
exports.sync = exports.mkdirpSync;
exports.manual = mkdirp_manual_js_1.mkdirpManual;
exports.manualSync = mkdirp_manual_js_1.mkdirpManualSync;
exports.native = mkdirp_native_js_1.mkdirpNative;
exports.nativeSync = mkdirp_native_js_1.mkdirpNativeSync;
exports.mkdirp = Object.assign(async (path, opts) => {
    path = (0, path_arg_js_1.pathArg)(path);
    const resolved = (0, opts_arg_js_1.optsArg)(opts);
    return (0, use_native_js_1.useNative)(resolved)
        ? (0, mkdirp_native_js_1.mkdirpNative)(path, resolved)
        : (0, mkdirp_manual_js_1.mkdirpManual)(path, resolved);
}, {
    mkdirpSync: exports.mkdirpSync,
    mkdirpNative: mkdirp_native_js_1.mkdirpNative,
    mkdirpNativeSync: mkdirp_native_js_1.mkdirpNativeSync,
    mkdirpManual: mkdirp_manual_js_1.mkdirpManual,
    mkdirpManualSync: mkdirp_manual_js_1.mkdirpManualSync,
    sync: exports.mkdirpSync,
    native: mkdirp_native_js_1.mkdirpNative,
    nativeSync: mkdirp_native_js_1.mkdirpNativeSync,
    manual: mkdirp_manual_js_1.mkdirpManual,
    manualSync: mkdirp_manual_js_1.mkdirpManualSync,
    useNative: use_native_js_1.useNative,
    useNativeSync: use_native_js_1.useNativeSync,
});
//# sourceMappingURL=index.js.map

/***/ }),

/***/ 296:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.mkdirpManual = exports.mkdirpManualSync = void 0;
const path_1 = __webpack_require__(16928);
const opts_arg_js_1 = __webpack_require__(62491);
const mkdirpManualSync = (path, options, made) => {
    const parent = (0, path_1.dirname)(path);
    const opts = { ...(0, opts_arg_js_1.optsArg)(options), recursive: false };
    if (parent === path) {
        try {
            return opts.mkdirSync(path, opts);
        }
        catch (er) {
            // swallowed by recursive implementation on posix systems
            // any other error is a failure
            const fer = er;
            if (fer && fer.code !== 'EISDIR') {
                throw er;
            }
            return;
        }
    }
    try {
        opts.mkdirSync(path, opts);
        return made || path;
    }
    catch (er) {
        const fer = er;
        if (fer && fer.code === 'ENOENT') {
            return (0, exports.mkdirpManualSync)(path, opts, (0, exports.mkdirpManualSync)(parent, opts, made));
        }
        if (fer && fer.code !== 'EEXIST' && fer && fer.code !== 'EROFS') {
            throw er;
        }
        try {
            if (!opts.statSync(path).isDirectory())
                throw er;
        }
        catch (_) {
            throw er;
        }
    }
};
exports.mkdirpManualSync = mkdirpManualSync;
exports.mkdirpManual = Object.assign(async (path, options, made) => {
    const opts = (0, opts_arg_js_1.optsArg)(options);
    opts.recursive = false;
    const parent = (0, path_1.dirname)(path);
    if (parent === path) {
        return opts.mkdirAsync(path, opts).catch(er => {
            // swallowed by recursive implementation on posix systems
            // any other error is a failure
            const fer = er;
            if (fer && fer.code !== 'EISDIR') {
                throw er;
            }
        });
    }
    return opts.mkdirAsync(path, opts).then(() => made || path, async (er) => {
        const fer = er;
        if (fer && fer.code === 'ENOENT') {
            return (0, exports.mkdirpManual)(parent, opts).then((made) => (0, exports.mkdirpManual)(path, opts, made));
        }
        if (fer && fer.code !== 'EEXIST' && fer.code !== 'EROFS') {
            throw er;
        }
        return opts.statAsync(path).then(st => {
            if (st.isDirectory()) {
                return made;
            }
            else {
                throw er;
            }
        }, () => {
            throw er;
        });
    });
}, { sync: exports.mkdirpManualSync });
//# sourceMappingURL=mkdirp-manual.js.map

/***/ }),

/***/ 61261:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.mkdirpNative = exports.mkdirpNativeSync = void 0;
const path_1 = __webpack_require__(16928);
const find_made_js_1 = __webpack_require__(75913);
const mkdirp_manual_js_1 = __webpack_require__(296);
const opts_arg_js_1 = __webpack_require__(62491);
const mkdirpNativeSync = (path, options) => {
    const opts = (0, opts_arg_js_1.optsArg)(options);
    opts.recursive = true;
    const parent = (0, path_1.dirname)(path);
    if (parent === path) {
        return opts.mkdirSync(path, opts);
    }
    const made = (0, find_made_js_1.findMadeSync)(opts, path);
    try {
        opts.mkdirSync(path, opts);
        return made;
    }
    catch (er) {
        const fer = er;
        if (fer && fer.code === 'ENOENT') {
            return (0, mkdirp_manual_js_1.mkdirpManualSync)(path, opts);
        }
        else {
            throw er;
        }
    }
};
exports.mkdirpNativeSync = mkdirpNativeSync;
exports.mkdirpNative = Object.assign(async (path, options) => {
    const opts = { ...(0, opts_arg_js_1.optsArg)(options), recursive: true };
    const parent = (0, path_1.dirname)(path);
    if (parent === path) {
        return await opts.mkdirAsync(path, opts);
    }
    return (0, find_made_js_1.findMade)(opts, path).then((made) => opts
        .mkdirAsync(path, opts)
        .then(m => made || m)
        .catch(er => {
        const fer = er;
        if (fer && fer.code === 'ENOENT') {
            return (0, mkdirp_manual_js_1.mkdirpManual)(path, opts);
        }
        else {
            throw er;
        }
    }));
}, { sync: exports.mkdirpNativeSync });
//# sourceMappingURL=mkdirp-native.js.map

/***/ }),

/***/ 62491:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.optsArg = void 0;
const fs_1 = __webpack_require__(79896);
const optsArg = (opts) => {
    if (!opts) {
        opts = { mode: 0o777 };
    }
    else if (typeof opts === 'object') {
        opts = { mode: 0o777, ...opts };
    }
    else if (typeof opts === 'number') {
        opts = { mode: opts };
    }
    else if (typeof opts === 'string') {
        opts = { mode: parseInt(opts, 8) };
    }
    else {
        throw new TypeError('invalid options argument');
    }
    const resolved = opts;
    const optsFs = opts.fs || {};
    opts.mkdir = opts.mkdir || optsFs.mkdir || fs_1.mkdir;
    opts.mkdirAsync = opts.mkdirAsync
        ? opts.mkdirAsync
        : async (path, options) => {
            return new Promise((res, rej) => resolved.mkdir(path, options, (er, made) => er ? rej(er) : res(made)));
        };
    opts.stat = opts.stat || optsFs.stat || fs_1.stat;
    opts.statAsync = opts.statAsync
        ? opts.statAsync
        : async (path) => new Promise((res, rej) => resolved.stat(path, (err, stats) => (err ? rej(err) : res(stats))));
    opts.statSync = opts.statSync || optsFs.statSync || fs_1.statSync;
    opts.mkdirSync = opts.mkdirSync || optsFs.mkdirSync || fs_1.mkdirSync;
    return resolved;
};
exports.optsArg = optsArg;
//# sourceMappingURL=opts-arg.js.map

/***/ }),

/***/ 38686:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.pathArg = void 0;
const platform = process.env.__TESTING_MKDIRP_PLATFORM__ || process.platform;
const path_1 = __webpack_require__(16928);
const pathArg = (path) => {
    if (/\0/.test(path)) {
        // simulate same failure that node raises
        throw Object.assign(new TypeError('path must be a string without null bytes'), {
            path,
            code: 'ERR_INVALID_ARG_VALUE',
        });
    }
    path = (0, path_1.resolve)(path);
    if (platform === 'win32') {
        const badWinChars = /[*|"<>?:]/;
        const { root } = (0, path_1.parse)(path);
        if (badWinChars.test(path.substring(root.length))) {
            throw Object.assign(new Error('Illegal characters in path.'), {
                path,
                code: 'EINVAL',
            });
        }
    }
    return path;
};
exports.pathArg = pathArg;
//# sourceMappingURL=path-arg.js.map

/***/ }),

/***/ 28225:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.useNative = exports.useNativeSync = void 0;
const fs_1 = __webpack_require__(79896);
const opts_arg_js_1 = __webpack_require__(62491);
const version = process.env.__TESTING_MKDIRP_NODE_VERSION__ || process.version;
const versArr = version.replace(/^v/, '').split('.');
const hasNative = +versArr[0] > 10 || (+versArr[0] === 10 && +versArr[1] >= 12);
exports.useNativeSync = !hasNative
    ? () => false
    : (opts) => (0, opts_arg_js_1.optsArg)(opts).mkdirSync === fs_1.mkdirSync;
exports.useNative = Object.assign(!hasNative
    ? () => false
    : (opts) => (0, opts_arg_js_1.optsArg)(opts).mkdir === fs_1.mkdir, {
    sync: exports.useNativeSync,
});
//# sourceMappingURL=use-native.js.map

/***/ }),

/***/ 74344:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.getContainerRuntimeConfig = void 0;
const fs_1 = __webpack_require__(79896);
const promises_1 = __webpack_require__(91943);
const os_1 = __webpack_require__(70857);
const path_1 = __importDefault(__webpack_require__(16928));
const properties_reader_1 = __importDefault(__webpack_require__(92608));
const common_1 = __webpack_require__(97729);
let containerRuntimeConfig;
const getContainerRuntimeConfig = async (env = process.env) => {
    if (!containerRuntimeConfig) {
        containerRuntimeConfig = {
            ...(await loadFromFile()),
            ...loadFromEnv(env),
        };
        logDockerClientConfig(containerRuntimeConfig);
    }
    return containerRuntimeConfig;
};
exports.getContainerRuntimeConfig = getContainerRuntimeConfig;
async function loadFromFile() {
    const file = path_1.default.resolve((0, os_1.homedir)(), ".testcontainers.properties");
    const dockerClientConfig = {};
    if ((0, fs_1.existsSync)(file)) {
        common_1.log.debug(`Loading ".testcontainers.properties" file...`);
        const string = await (0, promises_1.readFile)(file, { encoding: "utf-8" });
        const properties = (0, properties_reader_1.default)({ sourceFile: "" }).read(string);
        const tcHost = properties.get("tc.host");
        if (tcHost !== null) {
            dockerClientConfig.tcHost = tcHost;
        }
        const dockerHost = properties.get("docker.host");
        if (dockerHost !== null) {
            dockerClientConfig.dockerHost = dockerHost;
        }
        const dockerTlsVerify = properties.get("docker.tls.verify");
        if (dockerTlsVerify !== null) {
            dockerClientConfig.dockerTlsVerify = `${dockerTlsVerify}`;
        }
        const dockerCertPath = properties.get("docker.cert.path");
        if (dockerCertPath !== null) {
            dockerClientConfig.dockerCertPath = dockerCertPath;
        }
        common_1.log.debug(`Loaded ".testcontainers.properties" file`);
    }
    return dockerClientConfig;
}
function loadFromEnv(env) {
    const dockerClientConfig = {};
    if (env["DOCKER_HOST"] !== undefined) {
        dockerClientConfig.dockerHost = env["DOCKER_HOST"];
    }
    if (env["DOCKER_TLS_VERIFY"] !== undefined) {
        dockerClientConfig.dockerTlsVerify = env["DOCKER_TLS_VERIFY"];
    }
    if (env["DOCKER_CERT_PATH"] !== undefined) {
        dockerClientConfig.dockerCertPath = env["DOCKER_CERT_PATH"];
    }
    return dockerClientConfig;
}
function logDockerClientConfig(config) {
    if (!common_1.log.enabled()) {
        return;
    }
    const configurations = Object.entries(config)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}: "${value}"`);
    if (configurations.length > 0) {
        common_1.log.debug(`Found custom configuration: ${configurations.join(", ")}`);
    }
}


/***/ }),

/***/ 92608:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/index.ts
var index_exports = {};
__export(index_exports, {
  bindToExpress: () => bindToExpress,
  default: () => index_default,
  expressBasePath: () => expressBasePath,
  propertiesReader: () => propertiesReader
});
module.exports = __toCommonJS(index_exports);

// src/actions/append.ts
var import_node_fs = __webpack_require__(79896);

// src/actions/read.ts
function readLine(line, task) {
  const trimmed = line.trim();
  if (!trimmed) {
    return task;
  }
  const section = /^\[([^=]+)]$/.exec(trimmed);
  const property = !section && /^([^#=]+)(={0,1})(.*)$/.exec(trimmed);
  if (section) {
    task.section = section[1];
  } else if (property) {
    const currentSection = task.section ? `${task.section}.` : "";
    task.properties.set(currentSection + property[1].trim(), property[3].trim());
  }
  return task;
}
function read(input, task) {
  return String(input).split("\n").reduce(
    (task2, line) => {
      return readLine(line, task2);
    },
    { ...task, section: "" }
  );
}

// src/actions/append.ts
function newTask() {
  return { section: "", properties: /* @__PURE__ */ new Map() };
}
function append(sourceFile, encoding, task = newTask()) {
  if (!sourceFile) {
    return task;
  }
  const file = (0, import_node_fs.readFileSync)(sourceFile, encoding);
  return read(file, task);
}

// src/actions/save.ts
var import_promises = __webpack_require__(91943);
async function save(destFile, props) {
  let pointer = null;
  try {
    pointer = await (0, import_promises.open)(destFile, "w");
    for (const line of props) {
      await pointer.writeFile(`${line}
`, "utf8");
    }
  } finally {
    await pointer?.close();
  }
}

// src/bind-to-express.ts
var import_node_path = __webpack_require__(16928);
var import_file_exists = __webpack_require__(47117);
var import_mkdirp = __webpack_require__(36382);
function expressBasePath(basePath) {
  return (0, import_node_path.resolve)(basePath || process.cwd(), "./") + import_node_path.sep;
}
function bindToExpress(reader, app, basePath, makePaths) {
  for (const [key, value] of reader.entries()) {
    if (value && /\.(path|dir)$/.test(key)) {
      const resolvedValue = (0, import_node_path.resolve)(basePath, value);
      reader.set(key, resolvedValue);
      try {
        const directoryPath = /dir$/.test(key) ? resolvedValue : (0, import_node_path.dirname)(resolvedValue);
        if (makePaths) {
          import_mkdirp.mkdirp.sync(directoryPath);
        } else if (!(0, import_file_exists.exists)(directoryPath, import_file_exists.FOLDER)) {
          throw new Error("Path is not a directory that already exists");
        }
      } catch {
        throw new Error(`Unable to create directory ${value}`);
      }
    }
    app.set(key, reader.get(key));
    if (/^browser\./.test(key) && app.locals) {
      app.locals[key.substr(8)] = reader.get(key);
    }
  }
  app.set("properties", reader);
  return reader;
}

// src/parse-value.ts
function parseValue(input) {
  const parsedValue = String(input).trim();
  switch (parsedValue) {
    case "undefined":
    case "null":
      return null;
    case (!isNaN(parsedValue) && !!parsedValue && parsedValue):
      return +parsedValue;
    case "false":
    case "true":
      return parsedValue === "true";
    default: {
      const replacements = { "\\n": "\n", "\\r": "\r", "\\t": "	" };
      return parsedValue.replace(/\\[nrt]/g, (key) => replacements[key]);
    }
  }
}

// src/get-by-root.ts
function getByRoot(store, root = "") {
  return Object.fromEntries(parsedEntries(store, `${root}.`));
}
function* parsedEntries(store, prefix = "") {
  for (const [storeKey, storeValue] of store.entries()) {
    const key = parsedKey(storeKey, prefix);
    if (key) {
      yield [key, parseValue(storeValue)];
    }
  }
}
function parsedKey(key, prefix) {
  if (!prefix) {
    return key;
  }
  if (key.startsWith(prefix)) {
    return key.substring(prefix.length);
  }
}

// src/output.ts
function output(properties, allowDuplicateSections, saveSections) {
  if (!allowDuplicateSections) {
    properties = collapseSections(properties);
  }
  return saveSections ? generatePropertiesWithSections(properties) : generatePropertiesWithoutSections(properties);
}
function* generatePropertiesWithoutSections(properties) {
  for (const [key, value] of properties.entries()) {
    yield `${key}=${value}`;
  }
}
function* generatePropertiesWithSections(properties) {
  let section = null;
  for (let [key, value] of properties.entries()) {
    const [prefix, ...tokens] = key.split(".");
    if (tokens.length) {
      if (section !== prefix) {
        section = prefix;
        yield `[${section}]`;
      }
      key = tokens.join(".");
    } else {
      section = null;
    }
    yield `${key}=${value}`;
  }
}
function collapseSections(properties) {
  const sections = /* @__PURE__ */ new Map();
  for (const [key, value] of properties.entries()) {
    const [section] = key.split(".");
    const map = sections.get(section) ?? [];
    map.push([key, value]);
    sections.set(section, map);
  }
  return new Map(Array.from(sections.values()).flat());
}

// src/properties-path.ts
function addLeaf(branch, leaf, key) {
  branch.leaves.set(leaf, key);
  if (Object.hasOwn(branch.branches, leaf)) {
    branch.branches[leaf].dual = true;
  }
}
function addBranch(branch, token) {
  const next = branch.branches[token] ??= childBranch(branch, token);
  if (branch.leaves.has(token)) {
    next.dual = true;
  }
  return next;
}
function childBranch(parent, child = "") {
  return {
    dual: false,
    leaves: /* @__PURE__ */ new Map(),
    branches: /* @__PURE__ */ Object.create(null),
    path: (parent?.path ? `${parent.path}.` : "") + child,
    parent
  };
}
function pathLayers(map) {
  const paths = childBranch(null);
  for (const key of map.keys()) {
    const tokens = key.split(".");
    const leaf = tokens.pop();
    const path = tokens.reduce((branch, token) => addBranch(branch, token), paths);
    addLeaf(path, leaf, key);
  }
  return paths;
}
function memoize(fn) {
  const cache = /* @__PURE__ */ new Map();
  return (key) => {
    if (!cache.has(key)) {
      cache.set(key, fn(key));
    }
    return cache.get(key);
  };
}
function propertiesPath(map) {
  const shape = pathLayers(map);
  const value = (layer, key) => {
    if (!key) {
      return map.get(layer.path);
    }
    const leaf = layer.leaves.get(key);
    const branch = Object.hasOwn(layer.branches, key);
    if (branch) {
      return make(layer.branches[key]);
    }
    return typeof leaf === "string" ? map.get(leaf) : void 0;
  };
  const make = memoize((layer) => {
    const ownKeys = /* @__PURE__ */ new Set([...layer.leaves.keys(), ...Object.keys(layer.branches)]);
    const target = Object.defineProperties(
      /* @__PURE__ */ Object.create(null),
      Object.fromEntries(
        [...ownKeys].map((name) => [
          name,
          {
            configurable: false,
            enumerable: true,
            get() {
              return value(layer, name);
            }
          }
        ])
      )
    );
    if (layer.dual) {
      Object.defineProperty(target, "", {
        configurable: false,
        enumerable: true,
        get() {
          return value(layer, "");
        }
      });
    }
    return target;
  });
  return make(shape);
}

// src/reader.ts
var createPropertiesReader = ({
  sourceFile,
  encoding = "utf-8",
  allowDuplicateSections = false,
  saveSections = true
} = {}) => {
  const store = append(sourceFile, encoding);
  function entries(options = {}) {
    return options.parsed === true ? parsedEntries(store.properties) : store.properties.entries();
  }
  const instance = {
    get length() {
      return store.properties.size;
    },
    append(sourceFile2, enc = encoding) {
      append(sourceFile2, enc, store);
      return instance;
    },
    clone() {
      const next = createPropertiesReader({ allowDuplicateSections, encoding, saveSections });
      for (const [key, value] of store.properties.entries()) {
        next.set(key, value);
      }
      return next;
    },
    bindToExpress(app, basePath, makePaths = false) {
      return bindToExpress(instance, app, expressBasePath(basePath), makePaths);
    },
    each(fn, scope) {
      for (const [key, value] of store.properties.entries()) {
        fn.call(scope || instance, key, value);
      }
      return instance;
    },
    entries,
    get(key) {
      return parseValue(store.properties.get(key));
    },
    getAllProperties() {
      return Object.fromEntries(store.properties.entries());
    },
    getByRoot(root) {
      return getByRoot(store.properties, root);
    },
    getRaw(key) {
      return store.properties.has(key) ? store.properties.get(key) : null;
    },
    out() {
      return output(store.properties, allowDuplicateSections, saveSections);
    },
    path() {
      return propertiesPath(store.properties);
    },
    read(input) {
      read(typeof input === "string" ? input : input.toString(encoding), store);
      return instance;
    },
    save(destFile) {
      return save(destFile, instance.out());
    },
    set(key, value) {
      store.properties.set(key, String(value));
      return instance;
    }
  };
  return instance;
};

// src/index.ts
var index_default = createPropertiesReader;
var propertiesReader = createPropertiesReader;
// Annotate the CommonJS export names for ESM import in node:
0 && (0);
//# sourceMappingURL=index.cjs.map

/***/ })

};
