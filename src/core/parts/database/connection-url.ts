import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';

/** A database URL split into what the engine needs, credentials kept out of `display`. */
export interface ConnectionTarget {
  readonly dialect: DialectName;
  /** The parsed URL, credentials included: never print it. */
  readonly url: URL;
  /** `postgres://127.0.0.1:5432/app`: safe to print in logs, reports and errors. */
  readonly display: string;
  /** The database named in the path, when any. */
  readonly database: string | undefined;
}

const SCHEMES: Readonly<Record<string, DialectName>> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/** The dialect a URL's scheme names, or undefined for anything else; never throws. */
export function dialectOfUrl(raw: string): DialectName | undefined {
  return SCHEMES[/^[a-z][a-z0-9+.-]*:/i.exec(raw)?.[0].toLowerCase() ?? ''];
}

/** Parses a postgres://, postgresql://, mysql:// or mariadb:// URL. */
export function parseConnectionUrl(raw: string): ConnectionTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `not a database URL: ${redactSecrets(raw)} (expected postgres://, mysql:// or mariadb://)`,
    );
  }
  const dialect = SCHEMES[url.protocol];
  if (dialect === undefined) {
    throw new UsageError(
      `unsupported database URL scheme ${url.protocol}// (expected postgres://, postgresql://, mysql:// or mariadb://)`,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  return { dialect, url, display: redactUrl(url), database };
}

/** The URL without user info or query string, for messages. */
export function redactUrl(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Replaces every URL's credentials in free text (error messages from drivers, for instance)
 * so that nothing copied into a log or report leaks a password.
 */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
}

/** A copy of `target` pointing at another database on the same server. */
export function withDatabase(target: ConnectionTarget, database: string): ConnectionTarget {
  const url = new URL(target.url.href);
  url.pathname = `/${encodeURIComponent(database)}`;
  return { dialect: target.dialect, url, display: redactUrl(url), database };
}
