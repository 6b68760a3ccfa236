// How MySQL and MariaDB write catalog values, and the one spelling a snapshot records.

/** The server family behind the `mysql` dialect: their catalogs differ in a few columns and in quoting. */
export type MysqlFlavor = 'mysql' | 'mariadb';

/** The flavor a `select version()` string names, e.g. `10.11.19-MariaDB-0+deb12u1` or `8.4.3`. */
export function mysqlFlavorOf(version: string): MysqlFlavor {
  return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
}

/**
 * Removes the qualifier `` `database`. `` that the server writes into view definitions and
 * expressions: the scratch database is named differently on every run, and a snapshot must
 * not depend on it. References to other databases stay qualified.
 */
export function stripDatabaseQualifier(text: string, database: string): string {
  return text.replaceAll(`\`${database.replaceAll('`', '``')}\`.`, '');
}

/**
 * A column default as one engine family spells it consistently: MariaDB quotes literals and
 * writes `NULL` for a nullable column without a default; MySQL 8 leaves literals unquoted and
 * marks expressions with `DEFAULT_GENERATED` in EXTRA. `null` means no default, or DEFAULT NULL
 * (the same thing to every insert).
 */
export function normalizeColumnDefault(
  flavor: MysqlFlavor,
  columnDefault: string | null,
  extra: string,
): string | null {
  if (columnDefault === null) return null;
  if (flavor === 'mariadb') return columnDefault === 'NULL' ? null : columnDefault;
  if (/\bDEFAULT_GENERATED\b/i.test(extra)) return columnDefault;
  // Quoted the MariaDB way so that `'0'` and an expression such as `(rand())` never look alike.
  return `'${columnDefault.replaceAll("'", "''")}'`;
}

/** What a column's EXTRA says, split into the parts a snapshot compares. */
export interface ColumnExtra {
  readonly autoIncrement: boolean;
  /** `current_timestamp()` (MariaDB) or `CURRENT_TIMESTAMP(3)` (MySQL), or null. */
  readonly onUpdate: string | null;
  readonly generated: 'virtual' | 'stored' | null;
  readonly invisible: boolean;
  /** Whatever else EXTRA holds (e.g. MariaDB's ROW START), so that nothing is silently lost. */
  readonly other: string | null;
}

/** Parses EXTRA of information_schema.COLUMNS for either flavor. */
export function parseColumnExtra(extra: string): ColumnExtra {
  let rest = extra;
  const take = (pattern: RegExp): RegExpExecArray | null => {
    const match = pattern.exec(rest);
    if (match !== null) rest = rest.replace(match[0], ' ');
    return match;
  };
  const autoIncrement = take(/\bauto_increment\b/i) !== null;
  const onUpdate = take(/\bon update (\S+)/i)?.[1] ?? null;
  const generatedWord = take(/\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i)?.[1]?.toLowerCase();
  const invisible = take(/\bINVISIBLE\b/i) !== null;
  // The default itself tells an expression default apart (see normalizeColumnDefault).
  take(/\bDEFAULT_GENERATED\b/i);
  const other = rest.replace(/\s+/g, ' ').trim();
  return {
    autoIncrement,
    onUpdate,
    generated: generatedWord === undefined ? null : generatedWord === 'virtual' ? 'virtual' : 'stored',
    invisible,
    other: other === '' ? null : other,
  };
}

/**
 * Splits CREATE_OPTIONS, which lists only what CREATE/ALTER TABLE set explicitly: the row
 * format is kept on its own (ROW_FORMAT itself reports the engine's default too, which a
 * down cannot "forget"), `partitioned` is described by PARTITIONS instead.
 */
export function createOptions(raw: string): { rowFormat: string | null; other: string | null } {
  let rowFormat: string | null = null;
  const other: string[] = [];
  for (const option of raw.split(/\s+/)) {
    if (option === '' || option.toLowerCase() === 'partitioned') continue;
    const match = /^row_format=(.*)$/i.exec(option);
    if (match?.[1] !== undefined) rowFormat = match[1].toUpperCase();
    else other.push(option);
  }
  return { rowFormat, other: other.length === 0 ? null : other.sort().join(' ') };
}
