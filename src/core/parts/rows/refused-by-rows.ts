import type { DialectName } from '../../model/dialect.ts';

/** Why rows made a step fail, in words, and the safer way to write it. */
export interface RowRefusal {
  /** The rows in words: "users.username holds NULL", "orders.email has duplicates". */
  readonly rows: string;
  readonly instead: string;
}

const NOT_NULL =
  'backfill the NULLs first; to add a NOT NULL column give it a default, or add it nullable, backfill, then SET NOT NULL';
const UNIQUE =
  'merge or remove the duplicates first, then add the unique index (on Postgres CREATE UNIQUE INDEX CONCURRENTLY, then attach it)';
const FOREIGN_KEY =
  'fix or delete the orphan rows first; on Postgres add the foreign key NOT VALID, then VALIDATE CONSTRAINT in a later step';
const CHECK =
  'fix the rows first; on Postgres add the CHECK NOT VALID, then VALIDATE CONSTRAINT in a later step';
const TOO_LONG =
  'shorten the long values first (or keep the length): narrow a column only after a query shows no value exceeds the new length';
const CAST =
  'convert in steps: add a new column, backfill it with an explicit conversion that handles bad values, switch readers, then drop the old one';
const ENUM =
  'move the rows off the value first (UPDATE ... SET col = another value), then remove it from the enum';

/**
 * What the engine's error says about the rows that refused the step: its SQLSTATE (Postgres)
 * or error number (MySQL/MariaDB) gives the kind, its fields or message the table and column,
 * else the failed statement. Undefined when the error is not about rows.
 */
export function refusalOf(error: unknown, dialect: DialectName, statement?: string): RowRefusal | undefined {
  const fields = engineFields(error);
  if (fields === undefined) return undefined;
  const target = statementTarget(statement ?? '');
  return dialect === 'postgres'
    ? postgresRefusal(fields, target)
    : mysqlRefusal(fields, target, statement ?? '');
}

interface EngineFields {
  readonly code?: string;
  readonly errno?: number;
  readonly message: string;
  readonly detail?: string;
  readonly table?: string;
  readonly column?: string;
  readonly constraint?: string;
}

/** The first error in the cause chain that carries an engine's code. */
function engineFields(error: unknown): EngineFields | undefined {
  for (
    let current = error, depth = 0;
    current !== null && typeof current === 'object' && depth < 5;
    depth += 1
  ) {
    const record = current as Record<string, unknown>;
    const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
    const errno = typeof record['errno'] === 'number' ? (record['errno'] as number) : undefined;
    const code = text('code');
    if (errno !== undefined || (code !== undefined && /^[0-9A-Z]{5}$/.test(code)))
      return {
        message: text('sqlMessage') ?? text('message') ?? '',
        ...(code === undefined ? {} : { code }),
        ...(errno === undefined ? {} : { errno }),
        ...optionalText('detail', text('detail')),
        ...optionalText('table', text('table')),
        ...optionalText('column', text('column')),
        ...optionalText('constraint', text('constraint')),
      };
    current = record['cause'];
  }
  return undefined;
}

function optionalText(key: string, value: string | undefined): Record<string, string> {
  return value === undefined ? {} : { [key]: value };
}

interface StatementTarget {
  readonly table?: string;
  readonly column?: string;
  /** The columns of the index a CREATE INDEX builds. */
  readonly indexColumns?: string;
}

/** The table and column an ALTER (or CREATE INDEX) statement names. */
function statementTarget(statement: string): StatementTarget {
  const ident = '[`"]?([\\w$]+)[`"]?';
  const table =
    new RegExp(`alter\\s+table\\s+(?:if\\s+exists\\s+)?(?:only\\s+)?(?:${ident}\\.)?${ident}`, 'i').exec(
      statement,
    ) ?? new RegExp(`\\bon\\s+(?:only\\s+)?(?:${ident}\\.)?${ident}`, 'i').exec(statement);
  // The column: after ALTER COLUMN, MODIFY, CHANGE or ADD, never the word TABLE of ALTER TABLE.
  const reserved = /^(table|constraint|unique|primary|foreign|check|index|key)$/i;
  const columnName = [
    ...statement.matchAll(
      new RegExp(
        `(?:alter\\s+column|modify|change|add)\\s+(?:column\\s+)?(?:if\\s+not\\s+exists\\s+)?${ident}`,
        'gi',
      ),
    ),
  ]
    .map((match) => match[1]!)
    .find((name) => !reserved.test(name));
  // CREATE UNIQUE INDEX ... ON table (columns): the indexed columns.
  const indexed = /\bon\s+(?:only\s+)?[`"]?[\w$.]+[`"]?\s*(?:using\s+\w+\s*)?\(([^)]*)\)/i.exec(
    statement,
  )?.[1];
  const indexColumns = indexed?.replace(/[`"\s]/g, '').replaceAll(',', ', ');
  return {
    ...optionalText('table', table?.[2]),
    ...optionalText('indexColumns', indexColumns),
    ...optionalText('column', columnName),
  };
}

function where(table: string | undefined, column: string | undefined): string {
  if (table !== undefined && column !== undefined) return `${table}.${column}`;
  return column ?? table ?? 'a column';
}

function postgresRefusal(fields: EngineFields, target: StatementTarget): RowRefusal | undefined {
  const table = fields.table ?? target.table;
  const keyColumns = /^Key \((.+?)\)=/.exec(fields.detail ?? '')?.[1];
  switch (fields.code) {
    case '23502':
      return { rows: `${where(table, fields.column ?? target.column)} holds NULL`, instead: NOT_NULL };
    case '23505':
      return {
        rows: `${where(table, keyColumns ?? target.indexColumns ?? target.column)} has duplicates`,
        instead: UNIQUE,
      };
    case '23503': {
      const parent = /in table "(.+?)"/.exec(fields.detail ?? '')?.[1];
      return {
        rows: `${where(table, keyColumns)} holds values with no matching row${parent === undefined ? '' : ` in ${parent}`}`,
        instead: FOREIGN_KEY,
      };
    }
    case '23514':
      return {
        rows: `rows of ${table ?? 'the table'} violate CHECK ${fields.constraint ?? ''}`.trimEnd(),
        instead: CHECK,
      };
    case '22001': {
      const length = /\((\d+)\)/.exec(fields.message)?.[1];
      return {
        rows: `values longer than ${length ?? 'the new length'} characters in ${where(table, target.column)}`,
        instead: TOO_LONG,
      };
    }
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '42804': {
      const label = /invalid input value for enum (.+?): "(.*)"/.exec(fields.message);
      if (label !== null)
        return {
          rows: `${where(table, target.column)} holds '${label[2]}', a value enum ${label[1]} no longer has`,
          instead: ENUM,
        };
      return {
        rows: `values in ${where(table, target.column)} do not convert: ${fields.message}`,
        instead: CAST,
      };
    }
    default:
      return undefined;
  }
}

function mysqlRefusal(
  fields: EngineFields,
  target: StatementTarget,
  statement: string,
): RowRefusal | undefined {
  const named = /column [`']?(?:[\w$]+[`']?\.[`']?)*([\w$]+)[`']?/i.exec(fields.message)?.[1];
  const column = named ?? target.column;
  switch (fields.errno) {
    case 1138:
    case 1048:
    case 1364:
      return { rows: `${where(target.table, column)} holds NULL`, instead: NOT_NULL };
    case 1062:
    case 1169:
    case 1586: {
      const key = /for key '(?:[\w$]+\.)?([\w$]+)'/.exec(fields.message)?.[1];
      return {
        rows: `${where(target.table, target.indexColumns ?? target.column ?? key)} has duplicates`,
        instead: UNIQUE,
      };
    }
    case 1452:
    case 1216: {
      const parent = /REFERENCES `([\w$]+)`/.exec(fields.message)?.[1];
      return {
        rows: `${where(target.table, /FOREIGN KEY \(`([\w$]+)`/.exec(fields.message)?.[1])} holds values with no matching row${parent === undefined ? '' : ` in ${parent}`}`,
        instead: FOREIGN_KEY,
      };
    }
    case 3819:
    case 4025: {
      const constraint = /constraint [`']?([\w$]+)/i.exec(fields.message)?.[1];
      return {
        rows: `rows of ${target.table ?? 'the table'} violate CHECK ${constraint ?? ''}`.trimEnd(),
        instead: CHECK,
      };
    }
    case 1406:
      return {
        rows: `values too long for the new type of ${where(target.table, column)}`,
        instead: TOO_LONG,
      };
    case 1265:
      // MariaDB says "data truncated" for a removed enum value and for NULL under NOT NULL alike.
      if (/\b(enum|set)\s*\(/i.test(statement))
        return {
          rows: `${where(target.table, column)} holds values the new enum no longer has`,
          instead: ENUM,
        };
      if (/\bnot\s+null\b/i.test(statement))
        return { rows: `${where(target.table, column)} holds NULL`, instead: NOT_NULL };
      return {
        rows: `values of ${where(target.table, column)} that the new type cannot hold (data truncated)`,
        instead: TOO_LONG,
      };
    case 1366:
    case 1292:
    case 1264:
      return {
        rows: `values in ${where(target.table, column)} do not convert: ${fields.message}`,
        instead: CAST,
      };
    default:
      return undefined;
  }
}
