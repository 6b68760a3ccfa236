// Fails when the committed dist/ is not what the sources build to (CI runs it): rebuilds
// into a temporary folder and compares every file byte for byte.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, buildDist, describeSize, listFiles } from './dist-bundle.ts';

const fresh = await mkdtemp(join(tmpdir(), 'migration-gate-dist-'));
try {
  await buildDist(fresh);
  const committed = join(ROOT, 'dist');
  const differences = await differingFiles(committed, fresh);
  console.log(await describeSize(fresh));
  if (differences.length > 0) {
    console.error(
      `dist/ is stale: ${differences.length} file(s) differ from a fresh build; run npm run build and commit dist/\n` +
        differences.map((file) => `  ${file}`).join('\n'),
    );
    process.exitCode = 1;
  } else {
    console.log('dist/ is up to date');
  }
} finally {
  await rm(fresh, { recursive: true, force: true });
}

async function differingFiles(left: string, right: string): Promise<string[]> {
  const leftFiles = await listFiles(left).catch(() => []);
  const rightFiles = await listFiles(right);
  const all = [...new Set([...leftFiles, ...rightFiles])].sort();
  const differing: string[] = [];
  for (const file of all) {
    const [a, b] = await Promise.all([read(join(left, file)), read(join(right, file))]);
    if (a === undefined || b === undefined || !a.equals(b)) differing.push(file);
  }
  return differing;
}

function read(path: string): Promise<Buffer | undefined> {
  return readFile(path).catch(() => undefined);
}
