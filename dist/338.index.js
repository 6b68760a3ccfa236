export const id = 338;
export const ids = [338];
export const modules = {

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
        const container = await publishedOnLoopback(new _testcontainers_postgresql__WEBPACK_IMPORTED_MODULE_2__/* .PostgreSqlContainer */ .S9(image), loopbackOnly)
            .withLabels({ [CONTAINER_LABEL]: 'true' })
            .withStartupTimeout(STARTUP_TIMEOUT_MS)
            .start();
        return { id: container.getId(), rootUrl: container.getConnectionUri(), stop: (o) => container.stop(o) };
    }
    // Root can create the scratch databases; the modules' default user cannot.
    const module = /mariadb/i.test(image) ? new _testcontainers_mariadb__WEBPACK_IMPORTED_MODULE_0__/* .MariaDbContainer */ .uP(image) : new _testcontainers_mysql__WEBPACK_IMPORTED_MODULE_1__/* .MySqlContainer */ .uQ(image);
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
