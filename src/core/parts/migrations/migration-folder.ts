import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError, messageOf } from '../../model/errors.ts';
import type { SqlFile } from './sql-migrations.ts';
import { sqlFileRole, sqlFolderFileRole } from './sql-file-names.ts';

/** A Kysely migration module found in a folder. */
export interface ModuleFile {
  /** The file name without its extension, as Kysely's FileMigrationProvider names it. */
  readonly name: string;
  readonly path: string;
}

/** The migration sources of a folder, sorted by file name. */
export interface FolderContents {
  readonly modules: readonly ModuleFile[];
  readonly sqlFiles: readonly SqlFile[];
}

const MODULE_FILE = /^(.+)\.(?:ts|mts|cts|js|mjs|cjs)$/;
const NOT_A_MIGRATION = /\.d\.[cm]?ts$|\.(?:test|spec)\.[^.]+$/;

/** Whether a file name is a Kysely migration module (not a declaration file or a test). */
export function isModuleFileName(fileName: string): boolean {
  return MODULE_FILE.test(fileName) && !NOT_A_MIGRATION.test(fileName);
}

/**
 * Lists the migration sources of a folder: module files, SQL files, and subfolders holding
 * `up.sql`/`down.sql`. Dotfiles and anything else (READMEs, helper folders) are ignored. An
 * entry that cannot be read (a symlink loop, a dangling link, a name that is not UTF-8) is a
 * UsageError naming it: skipping it would silently drop a migration.
 */
export async function scanMigrationFolder(folder: string): Promise<FolderContents> {
  const modules: ModuleFile[] = [];
  const sqlFiles: SqlFile[] = [];
  const entries = (await readableNames(folder)).filter((name) => !name.startsWith('.')).sort();
  for (const entryName of entries) {
    const path = join(folder, entryName);
    // stat, not the dirent type, so that symlinked migrations count as what they point at.
    const stats = await statOrExplain(path);
    if (stats.isDirectory()) {
      for (const fileName of (await readableNames(path)).sort()) {
        const role = sqlFolderFileRole(entryName, fileName);
        if (role !== undefined) sqlFiles.push({ path: join(path, fileName), role });
      }
    } else if (stats.isFile()) {
      const moduleName = isModuleFileName(entryName) ? MODULE_FILE.exec(entryName)![1]! : undefined;
      const role = sqlFileRole(entryName);
      if (moduleName !== undefined) modules.push({ name: moduleName, path });
      else if (role !== undefined) sqlFiles.push({ path, role });
    }
  }
  return { modules, sqlFiles };
}

/** The names in `folder`; one that is not valid UTF-8 could not be opened by its decoded name. */
async function readableNames(folder: string): Promise<string[]> {
  const names = await readdir(folder, { encoding: 'buffer' });
  return names.map((bytes) => {
    const name = bytes.toString('utf8');
    if (!Buffer.from(name, 'utf8').equals(bytes)) {
      const shown = [...bytes].map((byte) =>
        byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16)}`,
      );
      const path = join(folder, shown.join(''));
      throw new UsageError(`file name ${path} in the migrations folder is not valid UTF-8: rename it`, {
        file: path,
      });
    }
    return name;
  });
}

async function statOrExplain(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ELOOP'
        ? 'is a symbolic link loop'
        : code === 'ENOENT'
          ? 'is a symbolic link to nothing'
          : `cannot be read (${code ?? messageOf(error)})`;
    throw new UsageError(`${path} in the migrations folder ${why}`, { file: path, cause: error });
  }
}
