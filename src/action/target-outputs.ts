import type { TargetReport } from './target-report.ts';

/** Outcomes from the worst down: the step's `outcome` with many targets is the worst of theirs. */
const SEVERITY = ['failed', 'error', 'refused', 'problems', 'skipped'];

/** Where the step put what it wrote. */
export interface TargetFiles {
  /** The backup folder, named when several targets were backed up into subfolders of it. */
  readonly backupDir: string;
  /** The file with every target's whole result as JSON. */
  readonly reportJson: string;
}

/**
 * The outputs of apply, rollback and status (see action.yml). With one target they are its
 * own; with several, `applied` and `rolled-back` gather names across them, `pending-count` is
 * the largest, `current` is set only when every target agrees, and `results` has each.
 */
export function targetOutputs(
  reports: readonly TargetReport[],
  files: TargetFiles,
  durationMs: number,
): Record<string, string> {
  const currents = new Set(reports.map((report) => report.current ?? ''));
  const pending = reports.flatMap((report) =>
    report.pendingCount === undefined ? [] : [report.pendingCount],
  );
  const backups = reports.flatMap((report) => (report.backupPath === undefined ? [] : [report.backupPath]));
  return {
    outcome: worstOutcome(reports),
    applied: JSON.stringify(unique(reports.flatMap((report) => report.applied))),
    'rolled-back': JSON.stringify(unique(reports.flatMap((report) => report.rolledBack))),
    'pending-count': pending.length === 0 ? '' : String(Math.max(...pending)),
    current: currents.size === 1 ? [...currents][0]! : '',
    'backup-path': reports.length === 1 ? (backups[0] ?? '') : backups.length > 0 ? files.backupDir : '',
    duration: String(Math.round(durationMs)),
    results: JSON.stringify(
      reports.map((report) => ({
        database: report.database,
        ok: report.ok,
        outcome: report.outcome,
        applied: report.applied,
        rolledBack: report.rolledBack,
        pendingCount: report.pendingCount ?? null,
        current: report.current ?? null,
        backupPath: report.backupPath ?? null,
        durationMs: report.durationMs ?? null,
      })),
    ),
    'report-json': files.reportJson,
  };
}

function worstOutcome(reports: readonly TargetReport[]): string {
  const outcomes = reports.map((report) => report.outcome);
  const worst = SEVERITY.find((outcome) => outcomes.includes(outcome));
  if (worst !== undefined) return worst;
  // All succeeded: the one that did something says more than `up-to-date`.
  const done = ['applied', 'rolled-back', 'restored'].find((outcome) => outcomes.includes(outcome));
  return done ?? outcomes[0] ?? '';
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
