import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import { messageOf } from '../../model/errors.ts';
import type { RowDemand } from '../../model/row-demand.ts';
import type { TargetRowCheck } from '../../model/target-rows.ts';
import { redactSecrets } from '../database/redaction.ts';
import type { PendingDemand } from './pending-demands.ts';
import type { RowCount } from './row-check-words.ts';
import { rowCheckMessage } from './row-check-words.ts';
import type { RowSource } from './row-count-queries.ts';
import { countQuery } from './row-count-queries.ts';
import type { RowCountSettings } from './row-count-settings.ts';
import type { ServerTraits } from './bounded-reads.ts';
import type { TableStatistics } from './table-statistics.ts';
import { readTableStatistics } from './table-statistics.ts';

/**
 * Counts, on the target's read-only session, the rows that break each pending demand. Every
 * query runs under the statement timeout set by boundReads; a table whose estimated rows exceed the bound is
 * counted on a sample and the count scaled to the table (duplicates are not scaled: a sample
 * only shows that at least so many exist). A query that times out or fails is `not counted`,
 * with the reason, never an error of the check.
 */
export async function countRowDemands(
  db: Kysely<any>,
  dialect: DialectName,
  pending: readonly PendingDemand[],
  settings: RowCountSettings,
  server: ServerTraits,
): Promise<TargetRowCheck[]> {
  const statistics = new Map<string, Promise<TableStatistics | undefined>>();
  const statisticsOf = (table: string) => {
    // One read per table, however many demands it has; a failed read counts the table whole.
    if (!statistics.has(table))
      statistics.set(
        table,
        readTableStatistics(db, dialect, table).catch(() => undefined),
      );
    return statistics.get(table)!;
  };
  const checks: TargetRowCheck[] = [];
  for (const { migration, demand, writtenBy } of pending) {
    const statistics = await statisticsOf(demand.table);
    const counted = await countOne(db, dialect, demand, statistics, settings, server.castCheck);
    const count: RowCount = { ...counted, ...(writtenBy === undefined ? {} : { writtenBy }) };
    checks.push({
      id: `${migration}/${demandKey(demand)}`,
      migration,
      demand,
      ...count,
      fails: (count.rows ?? 0) > 0 && writtenBy === undefined,
      message: rowCheckMessage(demand, count),
    });
  }
  return checks;
}

/** `not-null:users.username`, `unique:users(email,name)`, `check:users.age_positive`. */
function demandKey(demand: RowDemand): string {
  switch (demand.kind) {
    case 'unique':
    case 'foreign-key':
      return `${demand.kind}:${demand.table}(${demand.columns.join(',')})`;
    case 'check':
      return `check:${demand.table}.${demand.name}`;
    default:
      return `${demand.kind}:${demand.table}.${demand.column}`;
  }
}

async function countOne(
  db: Kysely<any>,
  dialect: DialectName,
  demand: RowDemand,
  statistics: TableStatistics | undefined,
  settings: RowCountSettings,
  castCheck: boolean,
): Promise<RowCount> {
  const estimated = statistics?.rows;
  const source: RowSource =
    estimated === undefined || estimated <= settings.sampleAbove
      ? { whole: true }
      : {
          whole: false,
          percent: Math.min(100, (settings.sampleRows / estimated) * 100),
          limit: settings.sampleRows,
        };
  let row;
  try {
    row = (await countQuery(demand, dialect, source, castCheck).execute(db)).rows[0];
  } catch (error) {
    return {
      notCounted: isStatementTimeout(error)
        ? `timed out after ${settings.timeoutMs / 1000} s`
        : `cannot count: ${redactSecrets(messageOf(error))}`,
    };
  }
  const violating = Number(row?.violating ?? 0);
  const groups = row?.duplicated == null ? {} : { groups: Number(row.duplicated) };
  if (source.whole || estimated === undefined) return { rows: violating, ...groups };
  if (demand.kind === 'unique')
    return { rows: violating, ...groups, sample: { percent: source.percent, scaled: false } };
  const sampled = Number(row?.sampled ?? 0);
  const rows = sampled === 0 ? 0 : Math.round((violating / sampled) * estimated);
  // A MySQL sample is the first rows read, however many the table really holds.
  const percent = dialect === 'postgres' ? source.percent : Math.min(100, (sampled / estimated) * 100);
  return { rows: violating > 0 ? Math.max(1, rows) : 0, sample: { percent, scaled: true } };
}

/** Postgres 57014 (statement_timeout), MariaDB 1969 (max_statement_time), MySQL 3024. */
function isStatementTimeout(error: unknown): boolean {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === '57014' || errno === 1969 || errno === 3024;
}
