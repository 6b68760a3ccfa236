import type { Kysely } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { MigrationResult } from '../../model/migration-result.ts';
import type { TargetTableSize } from '../../model/target-rows.ts';
import { readTableStatistics } from './table-statistics.ts';

/** Risk rules whose operation reads or writes the whole table: its duration follows its size. */
const WHOLE_TABLE_RULES: ReadonlySet<string> = new Set([
  'table-rewrite',
  'volatile-default-rewrite',
  'change-column-type',
  'create-index-blocking',
  'constraint-builds-index',
  'mysql-copy-algorithm',
]);

/**
 * The rate a rewrite or an index build is assumed to go at, in bytes per second: 50 MB/s, a
 * deliberately modest figure for a production server under load (a table rewrite writes the
 * table, its indexes and the WAL or redo log). Estimates are orders of magnitude, said so.
 */
export const ASSUMED_BYTES_PER_SECOND = 50_000_000;

/**
 * The size of each existing table the pending migrations change, from the target's statistics
 * (never a scan), and, where a pending migration's risk says it rewrites the table or builds an
 * index on it, the duration that takes at {@link ASSUMED_BYTES_PER_SECOND}. Tables the target
 * lacks, or whose size cannot be read within the statement timeout, are left out.
 */
export async function readTableSizes(
  db: Kysely<any>,
  dialect: DialectName,
  pending: readonly string[],
  results: readonly MigrationResult[],
): Promise<TargetTableSize[]> {
  const pendingSet = new Set(pending);
  const changers = new Map<string, MigrationResult[]>();
  for (const result of results) {
    if (!pendingSet.has(result.name)) continue;
    for (const table of result.touchedTables ?? [])
      changers.set(table, [...(changers.get(table) ?? []), result]);
  }
  const sizes: TargetTableSize[] = [];
  for (const [table, migrations] of [...changers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // A table locked by a long ALTER times its read out: no size is better than no report.
    const statistics = await readTableStatistics(db, dialect, table).catch(() => undefined);
    if (statistics === undefined) continue;
    const whole = migrations.flatMap((migration) =>
      (migration.risks ?? [])
        .filter((risk) => WHOLE_TABLE_RULES.has(risk.rule) && mentionsTable(risk.what, table))
        .map((risk) => `${risk.rule} in ${migration.name}`),
    );
    sizes.push({
      table,
      migrations: migrations.map((migration) => migration.name),
      ...(statistics.rows === undefined ? {} : { rows: statistics.rows }),
      bytes: statistics.bytes,
      ...(whole.length === 0
        ? {}
        : {
            estimate: {
              seconds: Math.round((statistics.bytes / ASSUMED_BYTES_PER_SECOND) * 1000) / 1000,
              because: `${[...new Set(whole)].join(', ')}: ${formatBytes(statistics.bytes)} at an assumed 50 MB/s`,
            },
          }),
    });
  }
  return sizes;
}

function mentionsTable(words: string, table: string): boolean {
  return words.split(/[\s,;:()]+/).some((word) => word === table || word.startsWith(`${table}.`));
}

/** `12.3 MB`, `840 kB`, `512 bytes`: decimal units, as the rate is given. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(3))} ${units[unit]}`;
}
