import { DIALECT_NAMES } from '../../model/dialect.ts';
import type { DialectName } from '../../model/dialect.ts';

/** Which part of a migration a SQL file holds. `both` is a single file (dbmate style, or up only). */
export type SqlFilePart = 'up' | 'down' | 'both';

/** What a SQL file's name says about it. */
export interface SqlFileRole {
  /** The migration's name. */
  readonly name: string;
  /** Set when the file is for one dialect only (`name.postgres.up.sql`). */
  readonly dialect: DialectName | undefined;
  readonly part: SqlFilePart;
}

const DIALECTS = DIALECT_NAMES.join('|');
const FILE_NAME = new RegExp(`^(.+?)(?:\\.(${DIALECTS}))?(?:\\.(up|down))?\\.sql$`);
const FOLDER_FILE_NAME = new RegExp(`^(?:(${DIALECTS})\\.)?(up|down)\\.sql$`);

/**
 * Reads a SQL file name in a migrations folder: `name.up.sql`, `name.down.sql`, `name.sql`,
 * each optionally with a dialect infix (`name.mysql.down.sql`, `name.postgres.sql`).
 * Undefined for files that are not SQL.
 */
export function sqlFileRole(fileName: string): SqlFileRole | undefined {
  const match = FILE_NAME.exec(fileName);
  if (!match) return undefined;
  return {
    name: match[1]!,
    dialect: match[2] as DialectName | undefined,
    part: (match[3] as 'up' | 'down' | undefined) ?? 'both',
  };
}

/**
 * Reads a file name inside a per-migration folder (`name/up.sql`, `name/down.sql`, optionally
 * `name/postgres.up.sql`). Undefined for other files, which such folders may hold freely.
 */
export function sqlFolderFileRole(folderName: string, fileName: string): SqlFileRole | undefined {
  const match = FOLDER_FILE_NAME.exec(fileName);
  if (!match) return undefined;
  return { name: folderName, dialect: match[1] as DialectName | undefined, part: match[2] as 'up' | 'down' };
}
