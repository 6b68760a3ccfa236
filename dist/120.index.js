export const id = 120;
export const ids = [120];
export const modules = {

/***/ 77120:
/***/ (function(__unused_webpack_module, exports, __webpack_require__) {


var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.ConfigurationStrategy = void 0;
const promises_1 = __importDefault(__webpack_require__(91943));
const path_1 = __importDefault(__webpack_require__(16928));
const url_1 = __webpack_require__(87016);
const config_1 = __webpack_require__(74344);
class ConfigurationStrategy {
    getName() {
        return "ConfigurationStrategy";
    }
    async getResult() {
        const { dockerHost, dockerTlsVerify, dockerCertPath } = await (0, config_1.getContainerRuntimeConfig)();
        if (!dockerHost) {
            return undefined;
        }
        const dockerOptions = {};
        const { pathname, hostname, port } = new url_1.URL(dockerHost);
        if (hostname !== "") {
            dockerOptions.host = hostname;
            dockerOptions.port = port;
        }
        else {
            dockerOptions.socketPath = pathname;
        }
        if (dockerTlsVerify === "1" && dockerCertPath !== undefined) {
            dockerOptions.ca = await promises_1.default.readFile(path_1.default.resolve(dockerCertPath, "ca.pem"));
            dockerOptions.cert = await promises_1.default.readFile(path_1.default.resolve(dockerCertPath, "cert.pem"));
            dockerOptions.key = await promises_1.default.readFile(path_1.default.resolve(dockerCertPath, "key.pem"));
        }
        return {
            uri: dockerHost,
            dockerOptions,
            composeEnvironment: {
                DOCKER_HOST: dockerHost,
                DOCKER_TLS_VERIFY: dockerTlsVerify,
                DOCKER_CERT_PATH: dockerCertPath,
            },
            allowUserOverrides: true,
        };
    }
}
exports.ConfigurationStrategy = ConfigurationStrategy;


/***/ })

};
