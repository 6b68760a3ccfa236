import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../../model/errors.ts';
import type { Migration } from './migration.ts';

const run = promisify(execFile);

/**
 * The names of the migrations that are new since `ref`: those whose source file did not
 * exist in that commit (committed, staged, or not yet tracked). The others were merged
 * already and are only replayed.
 */
export async function migrationsAddedSince(
  ref: string,
  migrations: readonly Migration[],
  cwd: string,
): Promise<Set<string>> {
  const root = await git(cwd, ['rev-parse', '--show-toplevel']).catch((error: unknown) => {
    throw new UsageError(`--base needs a git repository: ${cwd} is not in one`, { cause: error });
  });
  await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch((error: unknown) => {
    throw new UsageError(
      `--base ${ref} is not a commit in this repository (fetch it, e.g. actions/checkout with fetch-depth: 0)`,
      {
        cause: error,
      },
    );
  });
  const atBase = new Set((await git(root, ['ls-tree', '-r', '--name-only', '-z', ref])).split('\0'));
  const added = new Set<string>();
  for (const migration of migrations) {
    // git prints the root with symbolic links resolved; resolve the folder alike (not the file:
    // a symlinked migration is tracked as the link).
    const folder = await realpath(dirname(migration.source.path)).catch(() => dirname(migration.source.path));
    const path = relative(root, join(folder, basename(migration.source.path)))
      .split('\\')
      .join('/');
    if (!atBase.has(path)) added.add(migration.name);
  }
  return added;
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}
