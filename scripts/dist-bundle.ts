import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ncc from '@vercel/ncc';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The action's entry point, as action.yml's `runs.main` names its bundle. */
const ENTRY = join(ROOT, 'src/action/main.ts');

/**
 * Packages that stay files beside the bundle, in `<out>/node_modules`, instead of inside it:
 * - kysely: migrations `import { sql } from 'kysely'` and must get the very copy the engine
 *   uses (the module loader aliases it), as they do in development;
 * - jiti: loads its TypeScript transformer (`dist/babel.cjs`) by path at run time;
 * - PGlite: loads `pglite.wasm`, `pglite.data` and extension bundles by path relative to its
 *   modules, and webpack breaks its `await import('module')`.
 */
const VENDORED: readonly Vendored[] = [
  // Imported, never required: its CommonJS build would be dead weight. (PGlite's is not:
  // the data directory cache finds PGlite's version through require.resolve.)
  { name: 'kysely', skip: /^dist\/cjs\// },
  { name: 'jiti' },
  { name: '@electric-sql/pglite' },
  // Postgres's own parser (WASM), loaded lazily by name by the risk rules.
  { name: 'libpg-query' },
  { name: '@pgsql/types' },
];

interface Vendored {
  readonly name: string;
  /** Files (relative to the package) that nothing loads at run time, besides maps and types. */
  readonly skip?: RegExp;
}

/**
 * ssh2's optional native addons (testcontainers -> dockerode -> ssh2). Left out so that the
 * bundle is the same whether or not they were compiled where it was built; ssh2 falls back to
 * JavaScript when they are missing.
 */
const OPTIONAL_NATIVE = ['cpu-features', './crypto/build/Release/sshcrypto.node'];

const EXTERNALS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(OPTIONAL_NATIVE.map((request) => [request, request])),
  // ncc reads `/.../` keys as regular expressions, so subpaths (kysely/helpers/postgres,
  // @electric-sql/pglite/contrib/citext) stay external too.
  ...Object.fromEntries(VENDORED.map(({ name }) => [`/^(${name.replace(/[/.]/g, '\\$&')}(?:/.*)?)$/`, '$1'])),
};

/** Files of a vendored package that nothing loads at run time. */
const NOT_RUNTIME = /\.map$|\.d\.[cm]?ts$|^README|^CHANGELOG/i;

/** Builds the action into `out` (emptied first): `index.js`, its chunks and assets, `node_modules/`. */
export async function buildDist(out: string): Promise<void> {
  const { code, assets } = await ncc(ENTRY, {
    externals: EXTERNALS,
    cache: false,
    minify: false,
    sourceMap: false,
    license: 'licenses.txt',
    quiet: true,
  }).catch((error: unknown) => {
    // Rethrown from here: Node would otherwise print the minified line of ncc that threw.
    throw new Error(`ncc could not bundle ${relative(ROOT, ENTRY)}: ${String(error)}`);
  });
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets)) {
    const path = join(out, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, asset.source, asset.permissions === undefined ? {} : { mode: asset.permissions });
  }
  for (const vendored of VENDORED) await vendor(vendored, join(out, 'node_modules', vendored.name));
}

/** Copies an installed package's run-time files (the copy npm ci puts at the top, by the lock file). */
async function vendor({ name, skip }: Vendored, to: string): Promise<void> {
  const from = join(ROOT, 'node_modules', name);
  const manifest = join(from, 'package.json');
  const { dependencies } = JSON.parse(await readFile(manifest, 'utf8')) as { dependencies?: object };
  // Each dependency must be vendored beside it, or the bundle would fail to load it.
  const missing = Object.keys(dependencies ?? {}).filter((dependency) =>
    VENDORED.every((other) => other.name !== dependency),
  );
  if (missing.length > 0) throw new Error(`${name} depends on ${missing.join(', ')}; vendor them as well`);
  await cp(from, to, {
    recursive: true,
    filter: (source) => {
      const path = relative(from, source);
      return !NOT_RUNTIME.test(basename(path)) && !(skip?.test(path) ?? false);
    },
  });
}

/** Every file under `folder`, relative to it, sorted. */
export async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

/** The size of a built folder, in words: the bundle and everything beside it. */
export async function describeSize(folder: string): Promise<string> {
  const files = await listFiles(folder);
  let total = 0;
  for (const file of files) total += (await stat(join(folder, file))).size;
  const bundle = (await stat(join(folder, 'index.js'))).size;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${folder}: index.js ${mb(bundle)}; ${files.length} files, ${mb(total)} in all`;
}
