export const id = 906;
export const ids = [906];
export const modules = {

/***/ 82906:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {


Object.defineProperty(exports, "__esModule", ({ value: true }));
exports.UnixSocketStrategy = void 0;
const fs_1 = __webpack_require__(79896);
class UnixSocketStrategy {
    platform;
    constructor(platform = process.platform) {
        this.platform = platform;
    }
    getName() {
        return "UnixSocketStrategy";
    }
    async getResult() {
        if ((this.platform !== "linux" && this.platform !== "darwin") || !(0, fs_1.existsSync)("/var/run/docker.sock")) {
            return;
        }
        return {
            uri: "unix:///var/run/docker.sock",
            dockerOptions: { socketPath: "/var/run/docker.sock" },
            composeEnvironment: {},
            allowUserOverrides: true,
        };
    }
}
exports.UnixSocketStrategy = UnixSocketStrategy;


/***/ })

};
