import { statSync } from 'node:fs';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError, messageOf } from '../../model/errors.ts';
import { parseConnectionUrl } from '../database/connection-url.ts';

/** How an option's text becomes its value; a UsageError naming `label` when it cannot. */
export type ValueParser<T> = (text: string, label: string) => T;

/** Any text, kept as given (a path, an image, a migration name). */
export const anyText: ValueParser<string> = (text) => text;

/**
 * A folder to write into, created when missing: a path that exists as something else (a file)
 * is refused now, before any backup is due, rather than failing half-way through a change.
 */
export const folderPath: ValueParser<string> = (text, label) => {
  let isFolder: boolean | undefined;
  try {
    isFolder = statSync(text).isDirectory();
  } catch {
    isFolder = undefined;
  }
  if (isFolder === false) throw new UsageError(`${label} must be a folder, but ${text} is a file`);
  return text;
};

/** Exactly one of `allowed`, spelled as listed. */
export function oneOf<T extends string>(allowed: readonly T[]): ValueParser<T> {
  return (text, label) => {
    if ((allowed as readonly string[]).includes(text)) return text as T;
    throw new UsageError(`${label} must be one of ${allowed.join(', ')}, not ${text}`);
  };
}

/** YAML 1.2's booleans, as @actions/core's getBooleanInput reads them. */
export const trueOrFalse: ValueParser<boolean> = (text, label) => {
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  throw new UsageError(`${label} must be true or false, not ${text}`);
};

/** A whole number from `min` to `max`, in digits only: `1e3` and `2.0` are typos, not numbers. */
export function wholeNumber(min: number, max: number): ValueParser<number> {
  return (text, label) => {
    const number = Number(text);
    if (!/^\d+$/.test(text) || number < min || number > max) {
      throw new UsageError(`${label} must be a whole number from ${min} to ${max}, not ${text}`);
    }
    return number;
  };
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000 };

/** `5000`, `5000ms`, `5s`, `2m` or `2min` as milliseconds: a bare number is milliseconds. */
export const duration: ValueParser<number> = (text, label) => {
  const match = /^(\d+)\s*(ms|s|m|min)?$/.exec(text);
  const ms = match === null ? Number.NaN : Number(match[1]) * UNIT_MS[match[2] ?? 'ms']!;
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new UsageError(`${label} must be a duration such as 5000 (ms), 5s or 2min, not ${text}`);
  }
  return ms;
};

/** A dialect by any of the names people use for it; MariaDB is served by mysql. */
export const dialectName: ValueParser<DialectName> = (text, label) => {
  const normalized = text.toLowerCase();
  if (['postgres', 'postgresql', 'pg'].includes(normalized)) return 'postgres';
  if (['mysql', 'mariadb'].includes(normalized)) return 'mysql';
  throw new UsageError(`${label} must be postgres or mysql (mariadb), not ${text}`);
};

/**
 * A database URL, checked now (a typo fails in a moment, not after a container started) and
 * kept as given. The parser's messages leave the password out already.
 */
export const connectionUrl: ValueParser<string> = (text, label) => {
  try {
    parseConnectionUrl(text);
  } catch (error) {
    throw new UsageError(`${label}: ${messageOf(error)}`);
  }
  return text;
};
