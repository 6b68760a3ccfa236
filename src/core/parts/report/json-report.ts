import type { CheckResult } from '../../model/check-result.ts';

/** The version of the JSON shape, raised on any incompatible change. */
export const CHECK_JSON_VERSION = 1;

/** The check result for machines: `{ version, ok, migrations: [{ name, status, ... }], ... }`. */
export function renderCheckJson(result: CheckResult): string {
  return JSON.stringify({ version: CHECK_JSON_VERSION, ...result }, null, 2);
}
