import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';
import { optional } from '../../model/optional.ts';
import { parseConnectionUrl } from '../database/connection-url.ts';
import { DIALECT, SERVER_URL, TARGET_URL } from './catalogue.ts';
import { optionValue } from './read-option.ts';
import type { OptionSource } from './read-option.ts';

/** The dialect and the database URLs, each checked. */
export interface DatabaseOptions {
  readonly dialect?: DialectName;
  readonly serverUrl?: string;
  readonly targetUrl?: string;
}

/** Reads `dialect`, `server-url` and `target-url`. */
export function readDatabaseOptions(source: OptionSource): DatabaseOptions {
  return {
    ...optional('dialect', optionValue(source, DIALECT)),
    ...optional('serverUrl', optionValue(source, SERVER_URL)),
    ...optional('targetUrl', optionValue(source, TARGET_URL)),
  };
}

/** Refuses a server or target URL of the other dialect than `dialect`, before any work. */
export function refuseMixedDialects(source: OptionSource, options: DatabaseOptions): void {
  refuseOtherDialect(source.label(SERVER_URL.name), options.serverUrl, options.dialect);
  refuseOtherDialect(source.label(TARGET_URL.name), options.targetUrl, options.dialect);
}

/**
 * Refuses a URL of the other dialect than the one asked for, named without its credentials:
 * a postgres URL with dialect mysql is a mistake to report before any work, not a driver error.
 */
export function refuseOtherDialect(
  label: string,
  url: string | undefined,
  dialect: DialectName | undefined,
): void {
  if (url === undefined || dialect === undefined) return;
  const parsed = parseConnectionUrl(url);
  if (parsed.dialect !== dialect) {
    throw new UsageError(`${label} is a ${parsed.dialect} URL (${parsed.display}) but dialect is ${dialect}`);
  }
}
