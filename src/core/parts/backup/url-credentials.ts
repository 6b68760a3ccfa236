import type { ConnectionTarget } from '../database/connection-url.ts';

/** The database user of a URL, decoded. */
export function userOf(target: ConnectionTarget): string {
  return decodeURIComponent(target.url.username);
}

/** The password of a URL, decoded; empty when none. Never print it. */
export function passwordOf(target: ConnectionTarget): string {
  return decodeURIComponent(target.url.password);
}
