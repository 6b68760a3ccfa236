// Copies the SQL programs the engine reads at run time (src/**/*.sql, e.g. the Postgres change
// tracker's) into lib/, beside the modules tsc compiles there: tsc copies only what it compiles.
// `npm run prepare` and `npm run build` run it after tsc; the action's bundle gets them from ncc.
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../src/', import.meta.url));
const to = fileURLToPath(new URL('../lib/', import.meta.url));

const entries = await readdir(from, { recursive: true, withFileTypes: true });
for (const entry of entries.filter((each) => each.isFile() && each.name.endsWith('.sql'))) {
  const path = relative(from, join(entry.parentPath, entry.name));
  await mkdir(dirname(join(to, path)), { recursive: true });
  await copyFile(join(from, path), join(to, path));
}
