import type { DialectName } from '../../model/dialect.ts';
import type { EngineVersion, ServerFamily } from '../../model/engine-version.ts';

/** `postgres`, `mariadb` (version string says MariaDB) or `mysql`. */
export function serverFamily(dialect: DialectName, serverVersion: string): ServerFamily {
  if (dialect === 'postgres') return 'postgres';
  return /mariadb/i.test(serverVersion) ? 'mariadb' : 'mysql';
}

/** The leading numbers of a version string: `9.7.4-2` → [9, 7, 4]. */
export function versionNumbers(version: string): number[] {
  return (/^\d+(?:\.\d+)*/.exec(version)?.[0] ?? '0').split('.').map(Number);
}

/** The engine and numeric version of a server, from its dialect and version string. */
export function engineVersionOf(dialect: DialectName, serverVersion: string): EngineVersion {
  return { family: serverFamily(dialect, serverVersion), version: versionNumbers(serverVersion).join('.') };
}

/**
 * The release an official image tag names: PostgreSQL's major (`17`), MySQL's and MariaDB's
 * major.minor (`8.4`, `11.8`), since their minor releases differ in DDL (8.0 → 8.4, 10.6 → 10.11).
 */
export function releaseOf(family: ServerFamily, version: string): string {
  const [major = 0, minor = 0] = versionNumbers(version);
  return family === 'postgres' ? `${major}` : `${major}.${minor}`;
}

/** The official image of the server's engine and release: `postgres:17`, `mysql:9.7`, `mariadb:11.8`. */
export function officialImage(family: ServerFamily, serverVersion: string): string {
  return `${family}:${releaseOf(family, serverVersion)}`;
}

/** Whether two servers are the same engine and release (see {@link releaseOf}). */
export function sameRelease(a: EngineVersion, b: EngineVersion): boolean {
  return a.family === b.family && releaseOf(a.family, a.version) === releaseOf(b.family, b.version);
}

const PRODUCT: Readonly<Record<ServerFamily, string>> = {
  postgres: 'PostgreSQL',
  mariadb: 'MariaDB',
  mysql: 'MySQL',
};

/** `MySQL 9.7.4`, `PostgreSQL 15.20`, `MariaDB 11.8.9`. */
export function describeEngine(engine: EngineVersion): string {
  return `${PRODUCT[engine.family]} ${engine.version}`;
}
