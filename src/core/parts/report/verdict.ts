import type { CheckResult } from '../../model/check-result.ts';
import { DEFAULT_FAIL_ON } from '../../model/fail-on.ts';
import type { FailOn } from '../../model/fail-on.ts';
import { PASSING_STATUSES } from '../../model/migration-result.ts';
import { failingOnTarget, gateFailure } from './gate.ts';
import { releaseMismatch } from './proof-engine-words.ts';
import { riskCounts } from './risk-counts.ts';
import { failsOnRows } from './data-finding-words.ts';

/**
 * The whole check in one line, the first thing a reviewer reads, e.g.
 * `✅ 2 new migrations are reversible, no risks` or
 * `❌ 1 of 3 new migrations fails the proof; 2 risks need a look`, and, when the proof ran on
 * another engine or release than the target's, `; proven on PostgreSQL 15.20, target runs PostgreSQL 17.2`.
 * ❌ when the gate fails under `failOn` (see gate.ts), ⚠️ when it passes with risks nobody
 * acknowledged, else ✅.
 * Holds counts only, never user data, so it is safe in logs and markdown alike.
 */
export function checkVerdict(result: CheckResult, failOn: FailOn = DEFAULT_FAIL_ON): string {
  const proven = result.migrations;
  // "new" only makes sense when some history was taken as already merged.
  const adjective = result.replayed.length > 0 || result.historyProblems !== undefined ? 'new ' : '';
  const migrations = (count: number) => `${count} ${adjective}migration${count === 1 ? '' : 's'}`;
  const failing = proven.filter((migration) => !PASSING_STATUSES.has(migration.status)).length;
  const declared = proven.filter((migration) => migration.status === 'declared-irreversible').length;
  const history = result.historyProblems?.length ?? 0;
  const replayFailures = result.replayed.filter((replay) => replay.status === 'error').length;

  let text: string;
  if (proven.length === 0) text = `no ${adjective}migrations to prove`;
  else if (failing > 0)
    text = `${failing} of ${migrations(proven.length)} ${failing === 1 ? 'fails' : 'fail'} the proof`;
  else if (declared === 0)
    text = `${migrations(proven.length)} ${proven.length === 1 ? 'is' : 'are'} reversible`;
  else
    text = `${migrations(proven.length)} ${proven.length === 1 ? 'passes' : 'pass'} the proof (${declared} declared irreversible)`;

  const counts = proven.flatMap((migration) => riskCounts(migration) ?? []);
  const open = counts.reduce((sum, count) => sum + count.open, 0);
  const acknowledged = counts.reduce((sum, count) => sum + count.acknowledged, 0);
  const notices = counts.reduce((sum, count) => sum + count.notices, 0);
  const noticeWords = `${notices} notice${notices === 1 ? '' : 's'}`;
  if (open > 0)
    text += `; ${open} risk${open === 1 ? ' needs' : 's need'} a look${notices > 0 ? `, ${noticeWords}` : ''}`;
  else if (counts.length > 0) {
    // Notices are advice: they never make the verdict a warning.
    const aside = [
      ...(notices > 0 ? [noticeWords] : []),
      ...(acknowledged > 0 ? [`${acknowledged} acknowledged`] : []),
    ];
    text += aside.length > 0 ? `, no risks but ${aside.join(' and ')}` : ', no risks';
  }
  if (history > 0) text += `; ${history} history problem${history === 1 ? '' : 's'}`;
  const onTarget = failingOnTarget(result);
  if (onTarget > 0)
    text += `; ${onTarget} constraint${onTarget === 1 ? ' would fail' : 's would fail'} on the target's rows`;
  const onRows = proven.filter(failsOnRows).length;
  if (onRows > 0) text += `; ${onRows} fail${onRows === 1 ? 's' : ''} on existing rows`;
  const losing = proven.filter((migration) =>
    (migration.dataFindings ?? []).some((finding) => finding.id === 'down-loses-rows'),
  ).length;
  if (losing > 0) text += `; ${losing} down${losing === 1 ? '' : 's'} lose${losing === 1 ? 's' : ''} rows`;
  if (replayFailures > 0)
    text += `; ${replayFailures} merged migration${replayFailures === 1 ? ' fails' : 's fail'} to replay`;

  const mismatch = releaseMismatch(result);
  if (mismatch !== undefined) text += `; ${mismatch}`;

  const mark = gateFailure(result, failOn) !== undefined ? '❌' : open > 0 ? '⚠️' : '✅';
  return `${mark} ${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
