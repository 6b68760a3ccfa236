import { UsageError } from '../../model/errors.ts';
import { suggestMigrationName } from './suggest-name.ts';

/** A name a person types for a migration: a letter, then letters, digits, `_` or `-`. */
const PLAIN_NAME = /^[A-Za-z][\w-]*$/;

/**
 * kysely-ctl's `migrate make` prefix: `Date.now()`, 13 digits. Read as a timestamp only in
 * the range such a prefix can hold (2001 to 2100), so a 13-digit counter stays a counter.
 */
const EPOCH_MILLIS = /^(\d{13})([-_])/;
const EPOCH_RANGE = [1e12, 4.1e12] as const;

/**
 * The file name (without extension) for a new migration called `name` in a folder whose
 * migrations are `existing`, sorted: in the style of the newest one (a timestamp in its shape,
 * the next number in its width, kysely-ctl's epoch milliseconds), so it sorts last; in
 * kysely-ctl's style (`<Date.now()>_name`) in an empty folder. A name that is not plain, or
 * that an existing migration already has (after its prefix), is a usage error naming it.
 */
export function newMigrationName(name: string, existing: readonly string[], now: Date): string {
  if (!PLAIN_NAME.test(name)) {
    throw new UsageError(
      `migration name ${JSON.stringify(name)}: start with a letter, then letters, digits, _ or -`,
    );
  }
  const taken = existing.find((other) => other === name || withoutPrefix(other) === name);
  if (taken !== undefined) throw new UsageError(`a migration named ${name} exists already: ${taken}`);
  const newest = existing.at(-1);
  if (newest === undefined) return `${now.getTime()}_${name}`;
  const millis = EPOCH_MILLIS.exec(newest);
  if (millis !== null && Number(millis[1]) >= EPOCH_RANGE[0] && Number(millis[1]) < EPOCH_RANGE[1]) {
    return `${Math.max(now.getTime(), Number(millis[1]) + 1)}${millis[2]}${name}`;
  }
  return suggestMigrationName(name, newest, now);
}

/** `add_users` of `0003_add_users`, `2024_01_10_0900_add_users` or `20240110T0900-add_users`. */
function withoutPrefix(name: string): string {
  return name.replace(/^\d+(?:[-_.:T]?\d+)*Z?[-_.]?/, '');
}
