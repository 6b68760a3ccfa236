import type { CheckResult } from '../core/model/check-result.ts';
import type { FailOn } from '../core/model/fail-on.ts';
import { PASSING_STATUSES } from '../core/model/migration-result.ts';
import { checkVerdict } from '../core/parts/report/markdown-report.ts';
import { proofEngineWords } from '../core/parts/report/proof-engine-words.ts';

/** Where the report files of a run were written. */
export interface ReportPaths {
  readonly json: string;
  readonly markdown: string;
}

/**
 * The step's outputs (see action.yml). `reversible` and `failed-count` are about the proof
 * alone (risks and history problems are in the report and in `fail-on`); `new-migrations` is a
 * JSON array, for `fromJSON()`, empty when there was no base to compare with; `verdict` is judged
 * under `fail-on`; `proven-on` names the engine, release and image the proof ran on.
 */
export function checkOutputs(
  result: CheckResult,
  paths: ReportPaths,
  failOn: FailOn,
): Record<string, string> {
  const failed =
    result.migrations.filter((migration) => !PASSING_STATUSES.has(migration.status)).length +
    result.replayed.filter((replay) => replay.status === 'error').length;
  // A check against a base always carries its history problems, if only none.
  const hasBase = result.historyProblems !== undefined;
  return {
    reversible: String(failed === 0),
    'failed-count': String(failed),
    'new-migrations': JSON.stringify(hasBase ? result.migrations.map((migration) => migration.name) : []),
    verdict: checkVerdict(result, failOn),
    'proven-on': result.provenOn === undefined ? '' : proofEngineWords(result.provenOn),
    'report-json': paths.json,
    'plan-markdown': paths.markdown,
  };
}
