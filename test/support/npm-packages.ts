import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** Where real npm packages for tests are installed, apart from the project's node_modules (gitignored). */
const CACHE = resolve(import.meta.dirname, '../fixtures/.packages');

/** A folder whose node_modules holds the packages a test asked for. */
export interface InstalledPackages {
  /** The folder; projects copied under it resolve the packages. */
  readonly root: string;
  /** Copies a fixture project (a folder under test/fixtures) under `root`, removed on dispose. */
  project(fixture: string): Promise<AsyncDisposable & { readonly path: string }>;
}

/**
 * Installs exact npm package versions once per machine, with npm itself, into a cache folder
 * of their own (never the shared node_modules). Undefined, with a warning giving the reason,
 * when npm cannot install them (no registry); with CI=true that is a failure, as for engines.
 */
export async function installPackages(specs: readonly string[]): Promise<InstalledPackages | undefined> {
  const key = createHash('sha256').update(specs.join('\n')).digest('hex').slice(0, 12);
  const root = join(CACHE, key);
  try {
    if (!(await stat(join(root, 'node_modules')).catch(() => undefined))?.isDirectory()) {
      // Installed beside the final folder, then renamed: two test files never see half an install.
      const staging = `${root}.${process.pid}.tmp`;
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      await writeFile(join(staging, 'package.json'), '{ "private": true, "type": "module" }\n');
      await promisify(execFile)(
        'npm',
        ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', ...specs],
        { cwd: staging, timeout: 180_000 },
      );
      await rename(staging, root).catch(async (error: unknown) => {
        await rm(staging, { recursive: true, force: true });
        if (!(await stat(root).catch(() => undefined))) throw error;
      });
    }
  } catch (error) {
    const reason = `npm could not install ${specs.join(', ')}: ${error instanceof Error ? error.message : String(error)}`;
    if (process.env['CI'] === 'true') throw new Error(reason, { cause: error });
    console.warn(`skipping: ${reason}`);
    return undefined;
  }
  return {
    root,
    async project(fixture) {
      const path = join(root, 'projects', `${fixture.replaceAll('/', '-')}-${process.pid}-${Date.now()}`);
      await cp(resolve(import.meta.dirname, '../fixtures', fixture), path, { recursive: true });
      return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
    },
  };
}
