export const id = 338;
export const ids = [338,688,872,990];
export const modules = {

/***/ 35872:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
__webpack_unused_export__ = exports.MariaDbContainer = void 0;
var mariadb_container_1 = __webpack_require__(99674);
Object.defineProperty(exports, "MariaDbContainer", ({ enumerable: true, get: function () { return mariadb_container_1.MariaDbContainer; } }));
__webpack_unused_export__ = ({ enumerable: true, get: function () { return mariadb_container_1.StartedMariaDbContainer; } });


/***/ }),

/***/ 99674:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.StartedMariaDbContainer = exports.MariaDbContainer = void 0;
const testcontainers_1 = __webpack_require__(2491);
const MARIADB_PORT = 3306;
class MariaDbContainer extends testcontainers_1.GenericContainer {
    database = "test";
    username = "test";
    userPassword = "test";
    rootPassword = "test";
    constructor(image) {
        super(image);
        this.withExposedPorts(MARIADB_PORT).withStartupTimeout(120_000);
    }
    withDatabase(database) {
        this.database = database;
        return this;
    }
    withUsername(username) {
        this.username = username;
        return this;
    }
    withRootPassword(rootPassword) {
        this.rootPassword = rootPassword;
        return this;
    }
    withUserPassword(userPassword) {
        this.userPassword = userPassword;
        return this;
    }
    async start() {
        this.withEnvironment({
            MARIADB_DATABASE: this.database,
            MARIADB_ROOT_PASSWORD: this.rootPassword,
            MARIADB_USER: this.username,
            MARIADB_PASSWORD: this.userPassword,
        });
        return new StartedMariaDbContainer(await super.start(), this.database, this.username, this.userPassword, this.rootPassword);
    }
}
exports.MariaDbContainer = MariaDbContainer;
class StartedMariaDbContainer extends testcontainers_1.AbstractStartedContainer {
    database;
    username;
    userPassword;
    rootPassword;
    constructor(startedTestContainer, database, username, userPassword, rootPassword) {
        super(startedTestContainer);
        this.database = database;
        this.username = username;
        this.userPassword = userPassword;
        this.rootPassword = rootPassword;
    }
    getPort() {
        return this.startedTestContainer.getMappedPort(MARIADB_PORT);
    }
    getDatabase() {
        return this.database;
    }
    getUsername() {
        return this.username;
    }
    getUserPassword() {
        return this.userPassword;
    }
    getRootPassword() {
        return this.rootPassword;
    }
    getConnectionUri(isRoot = false) {
        const url = new URL("", "mariadb://");
        url.hostname = this.getHost();
        url.port = this.getPort().toString();
        url.pathname = this.getDatabase();
        url.username = isRoot ? "root" : this.getUsername();
        url.password = isRoot ? this.getRootPassword() : this.getUserPassword();
        return url.toString();
    }
}
exports.StartedMariaDbContainer = StartedMariaDbContainer;


/***/ }),

/***/ 66990:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
__webpack_unused_export__ = exports.MySqlContainer = void 0;
var mysql_container_1 = __webpack_require__(80638);
Object.defineProperty(exports, "MySqlContainer", ({ enumerable: true, get: function () { return mysql_container_1.MySqlContainer; } }));
__webpack_unused_export__ = ({ enumerable: true, get: function () { return mysql_container_1.StartedMySqlContainer; } });


/***/ }),

/***/ 80638:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.StartedMySqlContainer = exports.MySqlContainer = void 0;
const testcontainers_1 = __webpack_require__(2491);
const MYSQL_PORT = 3306;
class MySqlContainer extends testcontainers_1.GenericContainer {
    database = "test";
    username = "test";
    userPassword = "test";
    rootPassword = "test";
    constructor(image) {
        super(image);
        this.withExposedPorts(MYSQL_PORT).withStartupTimeout(120_000);
    }
    withDatabase(database) {
        this.database = database;
        return this;
    }
    withUsername(username) {
        this.username = username;
        return this;
    }
    withRootPassword(rootPassword) {
        this.rootPassword = rootPassword;
        return this;
    }
    withUserPassword(userPassword) {
        this.userPassword = userPassword;
        return this;
    }
    async start() {
        this.withEnvironment({
            MYSQL_DATABASE: this.database,
            MYSQL_ROOT_PASSWORD: this.rootPassword,
            MYSQL_USER: this.username,
            MYSQL_PASSWORD: this.userPassword,
        });
        return new StartedMySqlContainer(await super.start(), this.database, this.username, this.userPassword, this.rootPassword);
    }
}
exports.MySqlContainer = MySqlContainer;
class StartedMySqlContainer extends testcontainers_1.AbstractStartedContainer {
    database;
    username;
    userPassword;
    rootPassword;
    constructor(startedTestContainer, database, username, userPassword, rootPassword) {
        super(startedTestContainer);
        this.database = database;
        this.username = username;
        this.userPassword = userPassword;
        this.rootPassword = rootPassword;
    }
    getPort() {
        return this.startedTestContainer.getMappedPort(MYSQL_PORT);
    }
    getDatabase() {
        return this.database;
    }
    getUsername() {
        return this.username;
    }
    getUserPassword() {
        return this.userPassword;
    }
    getRootPassword() {
        return this.rootPassword;
    }
    getConnectionUri(isRoot = false) {
        const url = new URL("", "mysql://");
        url.hostname = this.getHost();
        url.port = this.getPort().toString();
        url.pathname = this.getDatabase();
        url.username = isRoot ? "root" : this.getUsername();
        url.password = isRoot ? this.getRootPassword() : this.getUserPassword();
        return url.toString();
    }
    async executeQuery(query, additionalFlags = [], isRoot = false) {
        const result = await this.startedTestContainer.exec([
            "mysql",
            "-h",
            "127.0.0.1",
            "-u",
            isRoot ? "root" : this.username,
            `-p${isRoot ? this.getRootPassword() : this.getUserPassword()}`,
            "-e",
            `${query};`,
            ...additionalFlags,
        ]);
        if (result.exitCode !== 0) {
            throw new Error(`executeQuery failed with exit code ${result.exitCode} for query: ${query}`);
        }
        return result.output;
    }
}
exports.StartedMySqlContainer = StartedMySqlContainer;


/***/ }),

/***/ 20688:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var __webpack_unused_export__;

__webpack_unused_export__ = ({ value: true });
__webpack_unused_export__ = exports.PostgreSqlContainer = void 0;
var postgresql_container_1 = __webpack_require__(47674);
Object.defineProperty(exports, "PostgreSqlContainer", ({ enumerable: true, get: function () { return postgresql_container_1.PostgreSqlContainer; } }));
__webpack_unused_export__ = ({ enumerable: true, get: function () { return postgresql_container_1.StartedPostgreSqlContainer; } });


/***/ }),

/***/ 47674:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.StartedPostgreSqlContainer = exports.PostgreSqlContainer = void 0;
const testcontainers_1 = __webpack_require__(2491);
const POSTGRES_PORT = 5432;
const POSTGRES_SSL_PATH = "/tmp/testcontainers-node/postgres";
const POSTGRES_SSL_CA_CERT_PATH = `${POSTGRES_SSL_PATH}/ca_cert.pem`;
const POSTGRES_SSL_CERT_PATH = `${POSTGRES_SSL_PATH}/server.crt`;
const POSTGRES_SSL_KEY_PATH = `${POSTGRES_SSL_PATH}/server.key`;
const POSTGRES_SSL_ENTRYPOINT_PATH = "/usr/local/bin/docker-entrypoint-ssl.sh";
const POSTGRES_SSL_ENTRYPOINT_CONTENT = `#!/bin/sh
set -eu

puid="$(id -u postgres)"
pgid="$(id -g postgres)"

if [ -z "$puid" ] || [ -z "$pgid" ]; then
  echo "Unable to determine postgres uid/gid for SSL key material ownership"
  exit 1
fi

for file in "${POSTGRES_SSL_CA_CERT_PATH}" "${POSTGRES_SSL_CERT_PATH}" "${POSTGRES_SSL_KEY_PATH}"; do
  if [ -f "$file" ]; then
    chown "$puid:$pgid" "$file"
    chmod 600 "$file"
  fi
done

exec /usr/local/bin/docker-entrypoint.sh "$@"
`;
class PostgreSqlContainer extends testcontainers_1.GenericContainer {
    database = "test";
    username = "test";
    password = "test";
    sslConfig;
    constructor(image) {
        super(image);
        this.withExposedPorts(POSTGRES_PORT);
        this.withWaitStrategy(testcontainers_1.Wait.forAll([testcontainers_1.Wait.forHealthCheck(), testcontainers_1.Wait.forListeningPorts()]));
        this.withStartupTimeout(120_000);
    }
    withDatabase(database) {
        this.database = database;
        return this;
    }
    withUsername(username) {
        this.username = username;
        return this;
    }
    withPassword(password) {
        this.password = password;
        return this;
    }
    withSSL(certFile, keyFile, caCertFile) {
        if (!certFile)
            throw new Error("SSL certificate file should not be empty.");
        if (!keyFile)
            throw new Error("SSL key file should not be empty.");
        if (caCertFile !== undefined && !caCertFile)
            throw new Error("SSL CA certificate file should not be empty.");
        const filesToCopy = [
            { source: certFile, target: POSTGRES_SSL_CERT_PATH, mode: 0o600 },
            { source: keyFile, target: POSTGRES_SSL_KEY_PATH, mode: 0o600 },
        ];
        if (caCertFile) {
            filesToCopy.push({ source: caCertFile, target: POSTGRES_SSL_CA_CERT_PATH, mode: 0o600 });
        }
        this.sslConfig = {
            caCertPath: caCertFile ? POSTGRES_SSL_CA_CERT_PATH : undefined,
        };
        this.withCopyFilesToContainer(filesToCopy)
            .withCopyContentToContainer([
            {
                content: POSTGRES_SSL_ENTRYPOINT_CONTENT,
                target: POSTGRES_SSL_ENTRYPOINT_PATH,
                mode: 0o700,
            },
        ])
            .withEntrypoint(["sh", POSTGRES_SSL_ENTRYPOINT_PATH]);
        return this;
    }
    withSSLCert(caCertFile, certFile, keyFile) {
        if (!caCertFile)
            throw new Error("SSL CA certificate file should not be empty.");
        return this.withSSL(certFile, keyFile, caCertFile);
    }
    async start() {
        this.withEnvironment({
            POSTGRES_DB: this.database,
            POSTGRES_USER: this.username,
            POSTGRES_PASSWORD: this.password,
        });
        if (this.sslConfig) {
            const command = this.createOpts.Cmd;
            if (!command || command[0] === "postgres") {
                this.withCommand([
                    ...(command ?? ["postgres"]),
                    "-c",
                    "ssl=on",
                    "-c",
                    `ssl_cert_file=${POSTGRES_SSL_CERT_PATH}`,
                    "-c",
                    `ssl_key_file=${POSTGRES_SSL_KEY_PATH}`,
                    ...(this.sslConfig.caCertPath ? ["-c", `ssl_ca_file=${this.sslConfig.caCertPath}`] : []),
                ]);
            }
        }
        if (!this.healthCheck) {
            this.withHealthCheck({
                test: [
                    "CMD-SHELL",
                    `PGPASSWORD=${this.password} pg_isready --host localhost --username ${this.username} --dbname ${this.database}`,
                ],
                interval: 250,
                timeout: 1000,
                retries: 1000,
            });
        }
        return new StartedPostgreSqlContainer(await super.start(), this.database, this.username, this.password);
    }
}
exports.PostgreSqlContainer = PostgreSqlContainer;
class StartedPostgreSqlContainer extends testcontainers_1.AbstractStartedContainer {
    database;
    username;
    password;
    snapshotName = "migrated_template";
    constructor(startedTestContainer, database, username, password) {
        super(startedTestContainer);
        this.database = database;
        this.username = username;
        this.password = password;
    }
    getPort() {
        return super.getMappedPort(POSTGRES_PORT);
    }
    getDatabase() {
        return this.database;
    }
    getUsername() {
        return this.username;
    }
    getPassword() {
        return this.password;
    }
    /**
     * @returns A connection URI in the form of `postgres[ql]://[username[:password]@][host[:port],]/database`
     */
    getConnectionUri() {
        const url = new URL("", "postgres://");
        url.hostname = this.getHost();
        url.port = this.getPort().toString();
        url.pathname = this.getDatabase();
        url.username = this.getUsername();
        url.password = this.getPassword();
        return url.toString();
    }
    /**
     * Sets the name to be used for database snapshots.
     * This name will be used as the default for snapshot() and restore() methods.
     *
     * @param snapshotName The name to use for snapshots (default is "migrated_template" if this method is not called)
     * @returns this (for method chaining)
     */
    withSnapshotName(snapshotName) {
        this.snapshotName = snapshotName;
        return this;
    }
    /**
     * Takes a snapshot of the current state of the database as a template, which can then be restored using
     * the restore method.
     *
     * @param snapshotName Name for the snapshot, defaults to the value set by withSnapshotName() or "migrated_template" if not specified
     * @returns Promise resolving when snapshot is complete
     * @throws Error if attempting to snapshot the postgres system database or if using the same name as the database
     */
    async snapshot(snapshotName = this.snapshotName) {
        this.snapshotSanityCheck(snapshotName);
        // Execute the commands to create the snapshot, in order
        await this.execCommandsSQL([
            // Update pg_database to remove the template flag, then drop the database if it exists.
            // This is needed because dropping a template database will fail.
            `UPDATE pg_database SET datistemplate = FALSE WHERE datname = '${snapshotName}'`,
            `DROP DATABASE IF EXISTS "${snapshotName}"`,
            // Create a copy of the database to another database to use as a template now that it was fully migrated
            `CREATE DATABASE "${snapshotName}" WITH TEMPLATE "${this.getDatabase()}" OWNER "${this.getUsername()}"`,
            // Snapshot the template database so we can restore it onto our original database going forward
            `ALTER DATABASE "${snapshotName}" WITH is_template = TRUE`,
        ]);
    }
    /**
     * Restores the database to a specific snapshot.
     *
     * @param snapshotName Name of the snapshot to restore from, defaults to the value set by withSnapshotName() or "migrated_template" if not specified
     * @returns Promise resolving when restore is complete
     * @throws Error if attempting to restore the postgres system database or if using the same name as the database
     */
    async restoreSnapshot(snapshotName = this.snapshotName) {
        this.snapshotSanityCheck(snapshotName);
        // Execute the commands to restore the snapshot, in order
        await this.execCommandsSQL([
            // Drop the entire database by connecting to the postgres global database
            `DROP DATABASE "${this.getDatabase()}" WITH (FORCE)`,
            // Then restore the previous snapshot
            `CREATE DATABASE "${this.getDatabase()}" WITH TEMPLATE "${snapshotName}" OWNER "${this.getUsername()}"`,
        ]);
    }
    /**
     * Executes a series of SQL commands against the Postgres database
     *
     * @param commands Array of SQL commands to execute in sequence
     * @throws Error if any command fails to execute with details of the failure
     */
    async execCommandsSQL(commands) {
        for (const command of commands) {
            try {
                const result = await this.exec([
                    "psql",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-U",
                    this.getUsername(),
                    "-d",
                    "postgres",
                    "-c",
                    command,
                ]);
                if (result.exitCode !== 0) {
                    throw new Error(`Command failed with exit code ${result.exitCode}: ${result.output}`);
                }
            }
            catch (error) {
                console.error(`Failed to execute command: ${command}`, error);
                throw error;
            }
        }
    }
    /**
     * Checks if the snapshot name is valid and if the database is not the postgres system database
     * @param snapshotName The name of the snapshot to check
     */
    snapshotSanityCheck(snapshotName) {
        if (this.getDatabase() === "postgres") {
            throw new Error("Snapshot feature is not supported when using the postgres system database");
        }
        if (this.getDatabase() === snapshotName) {
            throw new Error("Snapshot name cannot be the same as the database name");
        }
    }
}
exports.StartedPostgreSqlContainer = StartedPostgreSqlContainer;


/***/ }),

/***/ 52338:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CONTAINER_LABEL: () => (/* binding */ CONTAINER_LABEL),
/* harmony export */   DEFAULT_IMAGES: () => (/* binding */ DEFAULT_IMAGES),
/* harmony export */   createContainerThrowaway: () => (/* binding */ createContainerThrowaway)
/* harmony export */ });
/* harmony import */ var _testcontainers_mariadb__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(35872);
/* harmony import */ var _testcontainers_mysql__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(66990);
/* harmony import */ var _testcontainers_postgresql__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(20688);
/* harmony import */ var testcontainers__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2491);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(74296);
/* harmony import */ var _docker_ping_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(83653);
/* harmony import */ var _interrupt_cleanup_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(21012);
/* harmony import */ var _server_throwaway_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(68004);








/** The image used when none is given: the official image of the dialect. */
const DEFAULT_IMAGES = { postgres: 'postgres:16-alpine', mysql: 'mysql:8.4' };
/** The label on every container this tool starts, so people and tests can find them. */
const CONTAINER_LABEL = 'migration-gate.throwaway';
/** How long a container may take to start and answer before the run fails. */
const STARTUP_TIMEOUT_MS = 120_000;
/**
 * A database server in a container started through testcontainers, with a scratch database
 * on it; the container is stopped and removed on disposal and on SIGINT/SIGTERM.
 */
async function createContainerThrowaway(options) {
    const image = options.image ?? DEFAULT_IMAGES[options.dialect];
    options.logger.info(`starting container ${image}...`);
    const started = await startContainer(image, options).catch(async (error) => {
        const why = (await (0,_docker_ping_js__WEBPACK_IMPORTED_MODULE_5__/* .dockerAnswers */ .e)())
            ? (0,_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .messageOf */ .b)(error)
            : 'no Docker engine answers (start Docker, or use --throwaway server --server-url ... or, for Postgres, --throwaway embedded)';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .UsageError */ .e(`could not start container ${image}: ${why}`, { cause: error });
    });
    options.logger.info(`container ${started.id.slice(0, 12)} is up`);
    const stop = async () => {
        await started.stop({ remove: true, removeVolumes: true }).catch(() => { });
    };
    const unregister = (0,_interrupt_cleanup_js__WEBPACK_IMPORTED_MODULE_6__/* .registerInterruptCleanup */ .nZ)(stop);
    try {
        return await (0,_server_throwaway_js__WEBPACK_IMPORTED_MODULE_7__/* .createServerThrowaway */ .W)({
            ...options,
            image,
            kind: 'container',
            serverUrl: started.rootUrl,
            onDispose: async () => {
                unregister();
                await stop();
            },
        });
    }
    catch (error) {
        unregister();
        await stop();
        throw error;
    }
}
async function startContainer(image, options) {
    // Inside a container (a job container with the Docker socket mounted) testcontainers reaches
    // published ports through the bridge gateway, which a loopback-only port would shut out.
    const { info } = await (0,testcontainers__WEBPACK_IMPORTED_MODULE_3__.getContainerRuntimeClient)();
    const loopbackOnly = isLoopback(info.containerRuntime.host);
    if (options.dialect === 'postgres') {
        const container = await publishedOnLoopback(new _testcontainers_postgresql__WEBPACK_IMPORTED_MODULE_2__.PostgreSqlContainer(image), loopbackOnly)
            .withLabels({ [CONTAINER_LABEL]: 'true' })
            .withStartupTimeout(STARTUP_TIMEOUT_MS)
            .start();
        return { id: container.getId(), rootUrl: container.getConnectionUri(), stop: (o) => container.stop(o) };
    }
    // Root can create the scratch databases; the modules' default user cannot.
    const module = /mariadb/i.test(image) ? new _testcontainers_mariadb__WEBPACK_IMPORTED_MODULE_0__.MariaDbContainer(image) : new _testcontainers_mysql__WEBPACK_IMPORTED_MODULE_1__.MySqlContainer(image);
    const container = await publishedOnLoopback(module, loopbackOnly)
        .withLabels({ [CONTAINER_LABEL]: 'true' })
        .withStartupTimeout(STARTUP_TIMEOUT_MS)
        .start();
    return { id: container.getId(), rootUrl: container.getConnectionUri(true), stop: (o) => container.stop(o) };
}
function isLoopback(host) {
    return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
/**
 * Publishes the container's ports on 127.0.0.1 only. Testcontainers publishes on every
 * interface, which would expose a database with a known password to the whole network the
 * runner or laptop is on. Its port bindings are protected: reached here through a cast, and
 * guarded by the test that reads `docker port`.
 */
function publishedOnLoopback(container, loopbackOnly) {
    if (!loopbackOnly)
        return container;
    const { hostConfig } = container;
    for (const bindings of Object.values(hostConfig.PortBindings ?? {})) {
        for (const binding of bindings)
            binding.HostIp = '127.0.0.1';
    }
    return container;
}


/***/ })

};
