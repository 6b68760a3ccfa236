// Entry point of the GitHub Action (bundled into dist/index.js): it only calls run(), and
// exports it, so the bundle offers `run` as the typescript-action template's does.
import { run } from './run.ts';

export { run };

await run();
