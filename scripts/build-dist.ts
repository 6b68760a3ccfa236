// Builds the GitHub Action's dist/ (see dist-bundle.ts); `npm run build` runs it after tsc.
import { join } from 'node:path';
import { ROOT, buildDist, describeSize } from './dist-bundle.ts';

const out = join(ROOT, 'dist');
await buildDist(out);
console.log(await describeSize(out));
