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
 * An expression (CHECK clause, generation expression, expression default, functional index
 * part) spelled alike for both flavors. MySQL 8 escapes quotes in the catalog (`\\'`), writes
 * a charset introducer before every string literal (`_utf8mb4'x'`) and wraps CHECK clauses and
 * some generation expressions in one more pair of parentheses; MariaDB writes `upper()` and
 * `lower()` under their other names `ucase()` and `lcase()`. None of that changes the meaning.
 */
export function normalizeMysqlExpression(flavor: MysqlFlavor, expression: string | null): string | null {
  if (expression === null) return null;
  if (flavor === 'mariadb')
    return outsideQuotes(expression, (part) =>
      part.replace(
        /(^|[^\w$])(ucase|lcase)(\s*\()/gi,
        (_all, before: string, name: string, open: string) =>
          `${before}${name.toLowerCase() === 'ucase' ? 'upper' : 'lower'}${open}`,
      ),
    );
  return withoutOuterParentheses(
    outsideQuotes(expression.replaceAll("\\'", "'"), (part, next) =>
      next === "'" ? part.replace(/(^|[^\w$])_[a-z0-9]+$/i, '$1') : part,
    ),
  );
}

/**
 * Rewrites the parts of an expression outside string literals and quoted names, each with
 * the quote character that follows it (null for the last part).
 */
function outsideQuotes(text: string, rewrite: (part: string, next: string | null) => string): string {
  let result = '';
  let part = '';
  let quote: string | null = null;
  for (const char of text) {
    if (quote !== null) {
      result += char;
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"' || char === '`') {
      result += rewrite(part, char) + char;
      part = '';
      quote = char;
    } else part += char;
  }
  return result + rewrite(part, null);
}

/** `(a) + (b)` stays as it is; `(a + b)` loses the pair that encloses all of it. */
function withoutOuterParentheses(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  let quote: string | null = null;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quote !== null) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"' || char === '`') quote = char;
    else if (char === '(') depth += 1;
    else if (char === ')') {
      depth -= 1;
      if (depth === 0 && index < text.length - 1) return text;
    }
  }
  return text.slice(1, -1);
}

/**
 * `CURRENT_TIMESTAMP` and `CURRENT_TIMESTAMP(3)` (MySQL) in MariaDB's spelling,
 * `current_timestamp()` and `current_timestamp(3)`; the same value to every insert and update.
 */
export function normalizeCurrentTimestamp(value: string): string {
  return value.replace(
    /^(?:current_timestamp|now|localtimestamp|localtime)(?:\((\d*)\))?$/i,
    (_all, digits) => `current_timestamp(${digits ?? ''})`,
  );
}

/** Types whose literal defaults MariaDB writes without quotes (`0`, `1.50`, `2020`, `b'1'`). */
const UNQUOTED_DEFAULT_TYPES =
  /^(?:tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric|float|double|real|year|bit)\b/i;

/**
 * A column default in MariaDB's spelling, whichever server reported it: MariaDB quotes string
 * and date literals but not numbers, and writes `NULL` for a nullable column without a
 * default; MySQL 8 leaves every literal unquoted and marks expressions with
 * `DEFAULT_GENERATED` in EXTRA. `null` means no default, or DEFAULT NULL (the same thing to
 * every insert).
 */
export function normalizeColumnDefault(
  flavor: MysqlFlavor,
  columnDefault: string | null,
  extra: string,
  columnType: string,
): string | null {
  if (columnDefault === null) return null;
  if (flavor === 'mariadb')
    return columnDefault === 'NULL'
      ? null
      : normalizeCurrentTimestamp(normalizeMysqlExpression(flavor, columnDefault) ?? columnDefault);
  if (/\bDEFAULT_GENERATED\b/i.test(extra))
    return normalizeCurrentTimestamp(normalizeMysqlExpression(flavor, columnDefault) ?? columnDefault);
  if (UNQUOTED_DEFAULT_TYPES.test(columnType)) return columnDefault;
  return `'${columnDefault.replaceAll("'", "''")}'`;
}

/**
 * A column type without what does not change it: integer display widths (`int(11)` on
 * MariaDB and MySQL 5, `int` on MySQL 8) and `year(4)`. `tinyint(1)` keeps its width, which
 * both servers report and tools read as "boolean", and so does a ZEROFILL type, whose width
 * changes what is displayed.
 */
export function normalizeColumnType(columnType: string): string {
  if (/\bzerofill\b/i.test(columnType)) return columnType;
  return columnType
    .replace(/^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)/i, (all, name: string, width: string) =>
      name.toLowerCase() === 'tinyint' && width === '1' ? all : name,
    )
    .replace(/^year\(4\)$/i, 'year');
}

/** A foreign key rule: InnoDB treats NO ACTION as RESTRICT, and MySQL reports the default as NO ACTION, MariaDB as RESTRICT. */
export function normalizeReferentialRule(rule: string | null): string | null {
  return rule === 'NO ACTION' ? 'RESTRICT' : rule;
}

/** What a column's EXTRA says, split into the parts a snapshot compares. */
export interface ColumnExtra {
  readonly autoIncrement: boolean;
  /** `current_timestamp()` or `current_timestamp(3)` (MySQL's `CURRENT_TIMESTAMP(3)` too), or null. */
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
  const onUpdateWords = take(/\bon update (\S+)/i)?.[1];
  const onUpdate = onUpdateWords === undefined ? null : normalizeCurrentTimestamp(onUpdateWords);
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
