import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// The bundle is an ES module, where `__dirname` and `__filename` do not exist; but ssh2's
// poly1305 (testcontainers -> dockerode -> ssh2, an Emscripten build) reads `__dirname` when
// it loads. In the bundle every module lives in dist/, so the bundle's own folder is right.
// Imported first by main.ts.
const globals = globalThis as { __dirname?: string; __filename?: string };
globals.__filename ??= fileURLToPath(import.meta.url);
globals.__dirname ??= dirname(globals.__filename);
