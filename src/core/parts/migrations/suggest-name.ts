/**
 * A leading run of digit groups, each optionally after one separator, and an optional `Z`:
 * `0003`, `2024_01_10_0900`, `20240110090000`, `20230309T045948368Z`.
 */
const PREFIX = /^(\d+(?:[-_.:T]?\d+)*Z?)(.*)$/s;

/**
 * A new name for migration `name` that sorts after `after` (the newest merged migration),
 * keeping the naming style, so the migration can be renamed to run last:
 * - a timestamp prefix (`2024_01_10_0900_x`, `20230309T045948368Z-x`) becomes `now` in the same
 *   shape (or the timestamp just after `after`'s, when `now` is not later);
 * - a number prefix (`0003_x`) becomes the number after `after`'s, with the same width;
 * - a name with neither takes `after`'s style;
 * - when none of that sorts after `after` (no numbering, a counter out of digits), `after`
 *   becomes a prefix, which always does.
 */
export function suggestMigrationName(name: string, after: string, now: Date): string {
  const own = PREFIX.exec(name);
  const theirs = PREFIX.exec(after);
  let suggestion: string | undefined;
  if (own !== null) {
    suggestion = renumber(own[1]!, theirs?.[1], now) + own[2]!;
  } else if (theirs !== null) {
    // Their separator (`_`, `-`) joins the new prefix to this name.
    suggestion = renumber(theirs[1]!, theirs[1], now) + (/^[-_.]/.exec(theirs[2]!)?.[0] ?? '_') + name;
  }
  return suggestion !== undefined && suggestion > after ? suggestion : `${after}_${name}`;
}

/** A prefix shaped like `template` that is later than `after` (a prefix too, when given). */
function renumber(template: string, after: string | undefined, now: Date): string {
  const width = digitsOf(template).length;
  const afterDigits = after === undefined ? undefined : digitsOf(after);
  const next = afterDigits === undefined ? 1n : BigInt(afterDigits) + 1n;
  let digits: string;
  if (isTimestamp(digitsOf(template))) {
    const fromClock = timestampDigits(now, width);
    // Compared as numbers only when both have the same precision; else the clock wins.
    digits =
      afterDigits !== undefined && afterDigits.length === width && BigInt(fromClock) < next
        ? next.toString().padStart(width, '0')
        : fromClock;
  } else {
    digits = next.toString().padStart(width, '0');
  }
  return fill(template, digits);
}

function digitsOf(prefix: string): string {
  return prefix.replace(/\D/g, '');
}

/** Whether a digit string reads as a date, `YYYYMMDD...`, rather than a counter. */
function isTimestamp(digits: string): boolean {
  if (digits.length < 8) return false;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  return year >= 1970 && year < 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** `YYYYMMDDHHmmssSSS` in UTC, cut or zero-padded to `width` digits. */
function timestampDigits(now: Date, width: number): string {
  const two = (value: number) => String(value).padStart(2, '0');
  const full =
    String(now.getUTCFullYear()).padStart(4, '0') +
    two(now.getUTCMonth() + 1) +
    two(now.getUTCDate()) +
    two(now.getUTCHours()) +
    two(now.getUTCMinutes()) +
    two(now.getUTCSeconds()) +
    String(now.getUTCMilliseconds()).padStart(3, '0');
  return full.slice(0, width).padEnd(width, '0');
}

/**
 * `digits` poured into the template's digit positions, its separators kept. When there are
 * more digits than positions (a counter outgrew its width), the first group takes the extra.
 */
function fill(template: string, digits: string): string {
  const positions = digitsOf(template).length;
  let extra = digits.slice(0, Math.max(0, digits.length - positions));
  let index = extra.length;
  let out = '';
  for (const char of template) {
    if (/\d/.test(char)) {
      out += extra + digits[index++]!;
      extra = '';
    } else {
      out += char;
    }
  }
  return out;
}
