import type { Kysely } from 'kysely';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';
import { createModuleLoader } from '../migrations/module-loader.ts';
import { wholeFile } from '../migrations/sql-source.ts';
import { sqlScript, sqlStep } from '../migrations/sql-step.ts';

/** The project's own rows (the `seed` option), run once on the throwaway before the proof. */
export type UserSeed = (db: Kysely<any>) => Promise<void>;

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/**
 * Loads the project's seed: a `.sql` file (its statements in order), a module exporting
 * `seed(db)` (kysely-ctl's seed files), or a folder of those, run in name order as kysely-ctl
 * runs its seed folder. Anything else, or a module without `seed`, is a usage error naming
 * the file.
 */
export async function loadUserSeed(path: string, dialect: DialectName): Promise<UserSeed> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) throw new UsageError(`seed ${path} does not exist`, { file: path });
  if (!info.isDirectory()) return loadSeedFile(path, dialect);
  const names = (await readdir(path))
    .filter((name) => extname(name) === '.sql' || MODULE_EXTENSIONS.has(extname(name)))
    .filter((name) => !name.endsWith('.d.ts'))
    .sort();
  const seeds = await Promise.all(names.map((name) => loadSeedFile(join(path, name), dialect)));
  return async (db) => {
    for (const seed of seeds) await seed(db);
  };
}

async function loadSeedFile(file: string, dialect: DialectName): Promise<UserSeed> {
  if (extname(file) === '.sql') {
    const step = sqlStep(sqlScript(wholeFile(file, await readFile(file, 'utf8')), dialect));
    return (db) => step(db);
  }
  if (!MODULE_EXTENSIONS.has(extname(file)))
    throw new UsageError(
      `seed ${file}: a seed is a .sql file, a module exporting seed(db), or a folder of them`,
      {
        file,
      },
    );
  const exports = await createModuleLoader().load(file);
  const seed = exports['seed'] ?? (exports['default'] as Record<string, unknown> | undefined)?.['seed'];
  if (typeof seed !== 'function') throw new UsageError(`seed ${file} exports no seed(db) function`, { file });
  return async (db) => {
    await (seed as UserSeed)(db);
  };
}
