import type { CheckResult } from '../core/model/check-result.ts';
import type { HistoryProblem } from '../core/model/history-problem.ts';
import type { MigrationResult } from '../core/model/migration-result.ts';
import type { Risk } from '../core/model/risk.ts';
import { PASSING_STATUSES } from '../core/model/migration-result.ts';
import { STATUS_WORDS } from '../core/parts/report/status-words.ts';

/** One annotation: GitHub shows it on the file and line in the pull request's diff. */
export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly title: string;
  readonly message: string;
  /** Relative to the repository root. */
  readonly file?: string;
  readonly line?: number;
}

/** What annotating needs besides the result. */
export interface AnnotationContext {
  /** A result's file (relative to the working directory) as a repository path. */
  readonly repositoryPath: (file: string) => string;
  /** The line a migration's captured statement starts on in its file, when it can be told. */
  readonly statementLine: (file: string, sql: string) => number | undefined;
}

const HISTORY_TITLES: Readonly<Record<HistoryProblem['kind'], string>> = {
  modified: 'merged migration edited',
  deleted: 'merged migration deleted',
  'out-of-order': 'sorts before a merged migration',
};

/**
 * The annotations of a check: every migration that fails the proof (at the line the failure
 * points at), every merged migration that fails to replay, every history problem, and every
 * unacknowledged risk (at its statement's line when known). Acknowledged risks are decisions
 * already made: the report lists them, the diff does not need them.
 */
export function checkAnnotations(result: CheckResult, context: AnnotationContext): Annotation[] {
  const at = (file: string, line?: number) => ({
    file: context.repositoryPath(file),
    ...(line === undefined ? {} : { line }),
  });
  const annotations: Annotation[] = [];
  for (const migration of result.migrations) {
    if (!PASSING_STATUSES.has(migration.status)) {
      annotations.push({
        level: 'error',
        title: `${migration.name}: ${STATUS_WORDS[migration.status]}`,
        message: [
          migration.message ?? migration.status,
          ...(migration.residue ?? []).map((r) => `- ${r}`),
        ].join('\n'),
        ...at(migration.file, migration.line),
      });
    }
    for (const risk of migration.risks ?? []) {
      if (risk.acknowledged !== undefined) continue;
      annotations.push({
        level: risk.severity,
        title: `${migration.name}: ${risk.rule}`,
        message: `${risk.what}: ${risk.why}\nInstead: ${risk.instead}`,
        ...at(migration.file, riskLine(migration, risk, context)),
      });
    }
  }
  for (const replay of result.replayed) {
    if (replay.status !== 'error') continue;
    annotations.push({
      level: 'error',
      title: `${replay.name}: merged migration fails to replay`,
      message: replay.message ?? 'the merged migration failed to replay',
      ...at(replay.file, replay.line),
    });
  }
  for (const problem of result.historyProblems ?? []) {
    annotations.push({
      level: 'error',
      title: `${problem.name}: ${HISTORY_TITLES[problem.kind]}`,
      message: problem.message,
      ...at(problem.file),
    });
  }
  return annotations;
}

function riskLine(migration: MigrationResult, risk: Risk, context: AnnotationContext): number | undefined {
  const sql = risk.statement === undefined ? undefined : migration.statements?.up[risk.statement]?.sql;
  return sql === undefined ? undefined : context.statementLine(migration.file, sql);
}
