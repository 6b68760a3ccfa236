import type { DialectName } from '../../model/dialect.ts';
import type { ColumnShape } from './table-shapes.ts';

/**
 * The kinds of value a seeded row holds: each row of a table is one of these, so a table holds
 * the ordinary case, a duplicate of it, NULL wherever allowed, the largest and the smallest
 * values its types take, and non-ASCII text, as production data does.
 */
export type Variant = 'typical' | 'null' | 'max' | 'min' | 'unicode' | 'random';

/** The variants of the rows seeded into each table, in order: rows 0 and 1 are duplicates. */
export const ROW_VARIANTS: readonly Variant[] = [
  'typical',
  'typical',
  'null',
  'max',
  'min',
  'unicode',
  'random',
  'random',
];

/** A value the engine fills itself (the column's default). */
export const USE_DEFAULT = Symbol('default');

/** What a value is generated for: the row's variant, its index, and whether it must be unique. */
export interface ValueRequest {
  readonly dialect: DialectName;
  readonly variant: Variant;
  readonly row: number;
  readonly unique: boolean;
  /** A number in [0, 1) from the table's fixed-seed generator. */
  readonly random: number;
}

const UNICODE = 'Zoë Ünïcødé — 日本語 🙂';

/**
 * A value of `column` for one seeded row: valid for its type, at its boundaries when the
 * variant asks. A value the engine still refuses (a CHECK, a domain) only drops the row.
 */
export function columnValue(column: ColumnShape, request: ValueRequest): unknown {
  const { variant } = request;
  if (variant === 'null' && column.nullable) return null;
  if (variant === 'random' && column.hasDefault && !request.unique) return USE_DEFAULT;
  if (column.labels !== undefined) return labelValue(column.labels, request);
  const type = column.type;
  if (column.json === true || /^jsonb?$|^json$/.test(type)) return jsonValue(request);
  if (type.endsWith('[]')) return '{}';
  if (/^(boolean|bool|tinyint\(1\))/.test(type))
    return request.unique ? request.row % 2 === 0 : variant !== 'min';
  const integer = integerRange(type, request.dialect);
  if (integer !== undefined) return integerValue(integer, request);
  const decimal = /^(?:numeric|decimal)(?:\((\d+)(?:,\s*(\d+))?\))?/.exec(type);
  if (decimal !== null) return decimalValue(Number(decimal[1] ?? 18), Number(decimal[2] ?? 0), type, request);
  if (/^(real|float|double)/.test(type)) return floatValue(type, request);
  if (type === 'uuid') return uuidValue(request);
  if (type === 'date') return dateValue(request, '9999-12-31', '1000-01-01');
  if (/^(timestamp|datetime)/.test(type)) {
    const mysqlTimestamp = request.dialect === 'mysql' && type.startsWith('timestamp');
    return dateValue(
      request,
      mysqlTimestamp ? '2038-01-18 00:00:00' : '9999-12-31 23:59:59',
      mysqlTimestamp ? '1970-01-02 00:00:00' : '1000-01-01 00:00:00',
    );
  }
  if (/^time/.test(type)) return pick(request, '12:34:56', '23:59:59', '00:00:00');
  if (/^year/.test(type)) return request.unique ? 2000 + request.row : pick(request, 2024, 2155, 1901);
  if (type === 'interval') return `${request.row + 1} days`;
  if (/^(inet|cidr)$/.test(type)) return `10.0.0.${request.row + 1}`;
  if (type === 'money') return `${request.row + 1}.25`;
  if (/^(bytea|(tiny|medium|long)?blob|binary|varbinary)/.test(type)) return binaryValue(type, request);
  const bits = /^(?:bit|varbit|bit varying)\((\d+)\)/.exec(type);
  if (bits !== null) return bitValue(Number(bits[1]), request);
  const length = textLength(type);
  // A column named for e-mail holds addresses in production: code that splits at '@' must see one.
  if (length !== undefined && /e-?mail/i.test(column.name)) return emailValue(length, request);
  if (length !== undefined) return textValue(length, request);
  // A type the generator does not know: NULL where allowed, else its default, else a guess.
  if (column.nullable) return null;
  return column.hasDefault ? USE_DEFAULT : textValue(8, request);
}

function pick<T>(request: ValueRequest, typical: T, max: T, min: T): T {
  if (request.variant === 'max') return max;
  if (request.variant === 'min') return min;
  return typical;
}

function labelValue(labels: readonly string[], request: ValueRequest): string | null {
  if (labels.length === 0) return null;
  // Beyond the duplicated first rows, every label in turn: a label a migration removes is in use.
  if (request.unique || request.variant !== 'typical') return labels[request.row % labels.length]!;
  return labels[0]!;
}

function jsonValue(request: ValueRequest): string {
  if (request.unique) return JSON.stringify({ row: request.row });
  if (request.variant === 'min') return '{}';
  if (request.variant === 'max') return JSON.stringify({ nested: { list: [1, 2, 3], text: UNICODE } });
  return '{"a":1}';
}

interface IntegerRange {
  readonly min: bigint;
  readonly max: bigint;
}

function integerRange(type: string, dialect: DialectName): IntegerRange | undefined {
  const match = /^(tinyint|smallint|mediumint|integer|int|bigint|int2|int4|int8|serial|bigserial)\b/.exec(
    type,
  );
  if (match === null) return undefined;
  const bits: Record<string, number> = {
    tinyint: 8,
    smallint: 16,
    int2: 16,
    mediumint: 24,
    integer: 32,
    int: 32,
    int4: 32,
    serial: 32,
    bigint: 64,
    int8: 64,
    bigserial: 64,
  };
  const width = BigInt(bits[match[1]!] ?? 32);
  if (dialect === 'mysql' && type.includes('unsigned')) return { min: 0n, max: 2n ** width - 1n };
  return { min: -(2n ** (width - 1n)), max: 2n ** (width - 1n) - 1n };
}

function integerValue(range: IntegerRange, request: ValueRequest): number | string {
  const row = BigInt(request.row);
  let value: bigint;
  if (request.variant === 'max') value = range.max - row;
  else if (request.variant === 'min') value = range.min + row;
  else if (request.variant === 'random' && !request.unique) value = BigInt(Math.floor(request.random * 100));
  else value = row + 1n;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

function decimalValue(precision: number, scale: number, type: string, request: ValueRequest): string {
  const whole = Math.max(precision - scale, 0);
  const fraction = scale > 0 ? `.${'9'.repeat(scale)}` : '';
  const largest = `${whole > 0 ? '9'.repeat(whole) : '0'}${fraction}`;
  if (!request.unique && request.variant === 'max') return largest;
  if (!request.unique && request.variant === 'min') return type.includes('unsigned') ? '0' : `-${largest}`;
  return scale > 0 ? `${request.row + 1}.5` : `${request.row + 1}`;
}

function floatValue(type: string, request: ValueRequest): number {
  const large = type === 'real' || /^float(?!\(\d{2})/.test(type) ? 3e38 : 1e300;
  if (!request.unique && request.variant === 'max') return large;
  if (!request.unique && request.variant === 'min') return type.includes('unsigned') ? 0 : -large;
  return request.row + 1.5;
}

function uuidValue(request: ValueRequest): string {
  const tail = (request.row + 1).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${tail}`;
}

function dateValue(request: ValueRequest, max: string, min: string): string {
  const day = String((request.row % 28) + 1).padStart(2, '0');
  const time = max.length > 10 ? ` 10:30:${day}` : '';
  if (request.unique) return `2024-01-${day}${time}`;
  return pick(request, `2024-01-15${time}`, max, min);
}

function binaryValue(type: string, request: ValueRequest): Uint8Array {
  const limit = /\((\d+)\)/.exec(type);
  const size = request.variant === 'max' ? Math.min(Number(limit?.[1] ?? 64), 64) : 3;
  if (request.variant === 'min' && !request.unique && limit === null) return new Uint8Array(0);
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 1) bytes[at] = (request.row + at * 37) % 256;
  return bytes;
}

function bitValue(width: number, request: ValueRequest): string | number {
  const value =
    request.variant === 'max' ? 2 ** Math.min(width, 30) - 1 : request.row % 2 ** Math.min(width, 30);
  return request.dialect === 'mysql' ? value : value.toString(2).padStart(width, '0').slice(-width);
}

/** The longest text the type takes, in characters; undefined when it is not a text type. */
function textLength(type: string): number | undefined {
  const sized = /^(?:varchar|character varying|char|character|bpchar|nvarchar|nchar)\((\d+)\)/.exec(type);
  if (sized !== null) return Number(sized[1]);
  if (/^(character varying|varchar|char|character|bpchar)$/.test(type)) return type.includes('var') ? 300 : 1;
  if (/^tinytext/.test(type)) return 60;
  if (/^(text|mediumtext|longtext|citext|name|tsvector)/.test(type)) return 300;
  return undefined;
}

/**
 * An e-mail address within `length` characters; its local part never over 64, as RFC 5321
 * limits it. Boundaries move to the domain: the longest address pads it, the shortest is tiny.
 */
function emailValue(length: number, request: ValueRequest): string {
  const tag = request.unique ? `r${request.row}` : '';
  const fit = (text: string) => Array.from(text).slice(0, length).join('');
  switch (request.variant) {
    case 'max': {
      const local = `${tag || 'r'}${'x'.repeat(64)}`.slice(0, 64);
      const room = length - local.length - '@.example.com'.length;
      return fit(`${local}@${room > 0 ? `${'d'.repeat(Math.min(room, 63))}.` : ''}example.com`);
    }
    case 'min':
      return fit(`${tag || 'a'}@x.io`);
    case 'unicode':
      return fit(`zoë.${tag || 'ü'}@exämple.com`);
    case 'random':
      return fit(`${tag}v${Math.floor(request.random * 1000)}@example.com`);
    default:
      return fit(`user${tag}@example.com`);
  }
}

function textValue(length: number, request: ValueRequest): string {
  const tag = `r${request.row}`;
  const fit = (text: string) => Array.from(text).slice(0, length).join('');
  switch (request.variant) {
    case 'max':
      return fit(tag + 'x'.repeat(Math.max(length - tag.length, 0)));
    case 'min':
      return request.unique ? fit(tag) : '';
    case 'unicode':
      return request.unique ? fit(`${tag} ${UNICODE}`) : fit(UNICODE);
    case 'random':
      return fit(`${request.unique ? tag : ''}v${Math.floor(request.random * 1000)}`);
    default:
      return fit(request.unique ? `value ${tag}` : 'value');
  }
}
