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

/** The dialect infixes a file name may carry, with the names projects also use for them. */
const DIALECT_INFIXES: Readonly<Record<string, DialectName>> = {
  ...Object.fromEntries(DIALECT_NAMES.map((name) => [name, name])),
  postgresql: 'postgres',
  pg: 'postgres',
  mariadb: 'mysql',
};
const DIALECTS = Object.keys(DIALECT_INFIXES).join('|');
const FILE_NAME = new RegExp(`^(.+?)(?:\\.(${DIALECTS}))?(?:\\.(up|down))?\\.sql$`);
const FOLDER_FILE_NAME = new RegExp(`^(?:(${DIALECTS})\\.)?(up|down)\\.sql$`);
/** Flyway's versioned migration (`V1__name.sql`) and its undo (`U1__name.sql`). */
const FLYWAY_FILE_NAME = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;

/**
 * Reads a SQL file name in a migrations folder: `name.up.sql`, `name.down.sql`, `name.sql`,
 * each optionally with a dialect infix (`name.mysql.down.sql`, `name.postgres.sql`; also
 * `postgresql`, `pg` and `mariadb`), or Flyway's `V1__name.sql` and its undo `U1__name.sql`,
 * both named `V1__name`. Undefined for files that are not SQL.
 */
export function sqlFileRole(fileName: string): SqlFileRole | undefined {
  const flyway = FLYWAY_FILE_NAME.exec(fileName);
  if (flyway) {
    return {
      name: `V${flyway[2]}__${flyway[3]}`,
      dialect: undefined,
      part: flyway[1] === 'V' ? 'up' : 'down',
    };
  }
  const match = FILE_NAME.exec(fileName);
  if (!match) return undefined;
  return {
    name: match[1]!,
    dialect: match[2] === undefined ? undefined : DIALECT_INFIXES[match[2]],
    part: (match[3] as 'up' | 'down' | undefined) ?? 'both',
  };
}

/** The version of a Flyway migration name (`V1_2__x` is [1, 2]), undefined for other names. */
export function flywayVersion(name: string): number[] | undefined {
  const match = /^V(\d+(?:[._]\d+)*)__/.exec(name);
  return match === null ? undefined : match[1]!.split(/[._]/).map(Number);
}

/**
 * Reads a file name inside a per-migration folder (`name/up.sql`, `name/down.sql`, optionally
 * `name/postgres.up.sql`). Undefined for other files, which such folders may hold freely.
 */
export function sqlFolderFileRole(folderName: string, fileName: string): SqlFileRole | undefined {
  const match = FOLDER_FILE_NAME.exec(fileName);
  if (!match) return undefined;
  const dialect = match[1] === undefined ? undefined : DIALECT_INFIXES[match[1]];
  return { name: folderName, dialect, part: match[2] as 'up' | 'down' };
}
