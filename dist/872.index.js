export const id = 872;
export const ids = [872];
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


/***/ })

};
