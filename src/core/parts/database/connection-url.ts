import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';
import { registerUrlSecrets } from './redaction.ts';

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

const EXPECTED =
  'expected such as postgres://host:5432/database, or mysql:// or mariadb://, with user:password@ before the host';
const ENCODE =
  'percent-encode such characters in the user and password (@ as %40, / as %2F, : as %3A, ? as %3F, # as %23, % as %25)';

/**
 * Parses a postgres://, postgresql://, mysql:// or mariadb:// URL, the one parser every command
 * uses, so a URL works everywhere or nowhere. A `%` that starts no escape is taken literally (a
 * password such as `50%off`), so the drivers get one well-formed URL. A user or password with
 * an unencoded `@`, `/`, `?` or `#` cannot be told apart from the host and path: refused,
 * saying how to encode it. No message quotes the URL, which may hold a password anywhere when
 * it is malformed; its secrets are registered for redaction first.
 */
export function parseConnectionUrl(raw: string): ConnectionTarget {
  registerUrlSecrets(raw);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (scheme === null) throw new UsageError(`not a database URL (${EXPECTED})`);
  const dialect = SCHEMES[`${scheme[1]!.toLowerCase()}:`];
  if (dialect === undefined) {
    throw new UsageError(
      `unsupported database URL scheme ${scheme[1]!}:// (expected postgres://, postgresql://, mysql:// or mariadb://)`,
    );
  }
  const rest = raw.slice(scheme[0].length);
  const authority = rest.slice(0, rest.search(/[/?#]|$/));
  if ((authority.match(/@/g) ?? []).length > 1 || rest.indexOf('@', authority.length) !== -1) {
    throw new UsageError(
      `not a database URL: the user or password holds an unencoded @, /, ? or #; ${ENCODE}`,
    );
  }
  let url: URL;
  let database: string | undefined;
  try {
    url = new URL(raw.replace(/%(?![0-9a-f]{2})/gi, '%25'));
    database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw new UsageError(
      `not a database URL: its host, port or escapes cannot be read (${EXPECTED}; ${ENCODE})`,
    );
  }
  return { dialect, url, display: redactUrl(url), database };
}

/** The URL without user info or query string, for messages. */
export function redactUrl(url: URL): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.protocol}//${url.host}${path}`;
}

/** A copy of `target` pointing at another database on the same server. */
export function withDatabase(target: ConnectionTarget, database: string): ConnectionTarget {
  const url = new URL(target.url.href);
  url.pathname = `/${encodeURIComponent(database)}`;
  return { dialect: target.dialect, url, display: redactUrl(url), database };
}
