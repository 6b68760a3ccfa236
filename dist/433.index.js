export const id = 433;
export const ids = [433];
export const modules = {

/***/ 42433:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.TestcontainersHostStrategy = void 0;
const url_1 = __webpack_require__(87016);
const config_1 = __webpack_require__(74344);
class TestcontainersHostStrategy {
    getName() {
        return "TestcontainersHostStrategy";
    }
    async getResult() {
        const { tcHost } = await (0, config_1.getContainerRuntimeConfig)();
        if (!tcHost) {
            return;
        }
        const dockerOptions = {};
        const { hostname, port } = new url_1.URL(tcHost);
        dockerOptions.host = hostname;
        dockerOptions.port = port;
        return {
            uri: tcHost,
            dockerOptions,
            composeEnvironment: {
                DOCKER_HOST: tcHost,
            },
            allowUserOverrides: false,
        };
    }
}
exports.TestcontainersHostStrategy = TestcontainersHostStrategy;


/***/ })

};
