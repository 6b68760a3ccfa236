import type { CheckResult } from '../../model/check-result.ts';
import type { FailOn } from '../../model/fail-on.ts';
import type { RiskSeverity } from '../../model/risk.ts';
import { PASSING_STATUSES } from '../../model/migration-result.ts';

/**
 * Why a check fails its gate under `fail-on`, in one sentence; undefined when it passes. The one
 * verdict: the CLI's exit code and summary line and the action's step result all come from it.
 * `error`: the check is not ok (a migration fails the proof, a merged one fails to replay, the
 * history is edited, a step fails on existing rows, a pending migration's constraint would
 * fail on rows counted on the target: the up would fail in production) or a risk of severity
 * error is not acknowledged. `warning`: also an unacknowledged warning or a data warning (a down
 * that loses rows). `never`: never.
 */
export function gateFailure(result: CheckResult, failOn: FailOn): string | undefined {
  if (failOn === 'never') return undefined;
  const reasons: string[] = [];
  const failing = result.migrations.filter((migration) => !PASSING_STATUSES.has(migration.status)).length;
  const replays = result.replayed.filter((replay) => replay.status === 'error').length;
  const history = result.historyProblems?.length ?? 0;
  if (failing > 0) reasons.push(count(failing, 'migration fails', 'migrations fail') + ' the proof');
  if (replays > 0)
    reasons.push(count(replays, 'merged migration fails', 'merged migrations fail') + ' to replay');
  if (history > 0) reasons.push(count(history, 'history problem', 'history problems'));
  const onTarget = failingOnTarget(result);
  if (onTarget > 0)
    reasons.push(
      count(onTarget, 'constraint would fail', 'constraints would fail') + " on the target's rows",
    );
  const dataErrors = dataFindings(result, 'error');
  if (dataErrors > 0) reasons.push(count(dataErrors, 'data finding', 'data findings') + ' of severity error');
  const dataWarnings = failOn === 'warning' ? dataFindings(result, 'warning') : 0;
  if (dataWarnings > 0) reasons.push(count(dataWarnings, 'data warning', 'data warnings'));
  if (reasons.length === 0 && !result.ok) reasons.push('the check did not pass');
  const errors = openRisks(result, 'error');
  if (errors > 0)
    reasons.push(count(errors, 'unacknowledged risk', 'unacknowledged risks') + ' of severity error');
  const warnings = failOn === 'warning' ? openRisks(result, 'warning') : 0;
  if (warnings > 0) reasons.push(count(warnings, 'unacknowledged warning', 'unacknowledged warnings'));
  if (reasons.length === 0) return undefined;
  return `migration-gate check failed (fail-on: ${failOn}): ${reasons.join(', ')}`;
}

/** Row checks on the target whose up would fail there (see TargetRowCheck.fails). */
export function failingOnTarget(result: CheckResult): number {
  return result.target?.rowChecks?.filter((check) => check.fails).length ?? 0;
}

function openRisks(result: CheckResult, severity: RiskSeverity): number {
  return result.migrations
    .flatMap((migration) => migration.risks ?? [])
    .filter((risk) => risk.severity === severity && risk.acknowledged === undefined).length;
}

function dataFindings(result: CheckResult, severity: 'error' | 'warning'): number {
  return result.migrations
    .flatMap((migration) => migration.dataFindings ?? [])
    .filter((finding) => finding.severity === severity).length;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
