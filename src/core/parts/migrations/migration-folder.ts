import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
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
 * `up.sql`/`down.sql`. Dotfiles and anything else (READMEs, helper folders) are ignored.
 */
export async function scanMigrationFolder(folder: string): Promise<FolderContents> {
  const modules: ModuleFile[] = [];
  const sqlFiles: SqlFile[] = [];
  const entries = (await readdir(folder)).filter((name) => !name.startsWith('.')).sort();
  for (const entryName of entries) {
    const path = join(folder, entryName);
    // stat, not the dirent type, so that symlinked migrations count as what they point at.
    const stats = await stat(path).catch(() => undefined);
    if (stats?.isDirectory()) {
      for (const fileName of (await readdir(path)).sort()) {
        const role = sqlFolderFileRole(entryName, fileName);
        if (role !== undefined) sqlFiles.push({ path: join(path, fileName), role });
      }
    } else if (stats?.isFile()) {
      const moduleName = isModuleFileName(entryName) ? MODULE_FILE.exec(entryName)![1]! : undefined;
      const role = sqlFileRole(entryName);
      if (moduleName !== undefined) modules.push({ name: moduleName, path });
      else if (role !== undefined) sqlFiles.push({ path, role });
    }
  }
  return { modules, sqlFiles };
}
