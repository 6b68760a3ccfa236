import type { CheckResult } from '../core/model/check-result.ts';
import type { FailOn } from '../core/model/fail-on.ts';
import { PASSING_STATUSES } from '../core/model/migration-result.ts';
import { optional } from '../core/model/optional.ts';
import { checkVerdict } from '../core/parts/report/markdown-report.ts';
import { dataFindingList } from '../core/parts/report/data-finding-words.ts';
import { proofEngineWords } from '../core/parts/report/proof-engine-words.ts';

/** Where the report files of a run were written. */
export interface ReportPaths {
  readonly json: string;
  readonly markdown: string;
}

/**
 * The step's outputs (see action.yml). `reversible` and `failed-count` are about the proof
 * alone (risks and history problems are in the report and in `fail-on`); `new-migrations` is a
 * JSON array, for `fromJSON()`, empty when there was no base to compare with; `data-findings`
 * is a JSON array of what the proof with rows found (migration, id, severity, what); `verdict`
 * is judged under `fail-on`; `proven-on` names the engine, release and image the proof ran on.
 * With a target, `target-row-checks` is a JSON array of the constraints the pending migrations
 * add, counted on its rows: `{ id, fails, rows?, notCounted? }` each.
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
    'data-findings': JSON.stringify(dataFindingList(result)),
    verdict: checkVerdict(result, failOn),
    'proven-on': result.provenOn === undefined ? '' : proofEngineWords(result.provenOn),
    'report-json': paths.json,
    'plan-markdown': paths.markdown,
    ...(result.target === undefined
      ? {}
      : {
          'target-row-checks': JSON.stringify(
            (result.target.rowChecks ?? []).map(({ id, fails, rows, notCounted }) => ({
              id,
              fails,
              ...optional('rows', rows),
              ...optional('notCounted', notCounted),
            })),
          ),
        }),
  };
}
