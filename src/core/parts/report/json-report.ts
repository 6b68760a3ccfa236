import type { CheckResult } from '../../model/check-result.ts';
import type { FailOn } from '../../model/fail-on.ts';
import { optional } from '../../model/optional.ts';
import { gateFailure } from './gate.ts';

/** The version of the JSON shape, raised on any incompatible change. */
export const CHECK_JSON_VERSION = 1;

/**
 * The check result for machines: `{ version, ok, migrations: [{ name, status, ... }], ...,
 * gate: { failOn, passed, reason? } }`. `ok` is the proof's; `gate` is the verdict under
 * `failOn`, the one the exit code and the action's step follow.
 */
export function renderCheckJson(result: CheckResult, failOn: FailOn): string {
  const reason = gateFailure(result, failOn);
  const gate = { failOn, passed: reason === undefined, ...optional('reason', reason) };
  return JSON.stringify({ version: CHECK_JSON_VERSION, ...result, gate }, null, 2);
}
