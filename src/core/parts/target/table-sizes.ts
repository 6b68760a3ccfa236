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
 * The rate a rewrite or an index build is assumed to go at, in bytes per second, measured on
 * the project's CI-sized server (2 shared cores): Postgres 15 rewrote a 142 MB table (ALTER
 * COLUMN TYPE) in 3.8 s, about 37 MB/s; MariaDB 10.11 rebuilt a 118 MB one in 10.5 s, about
 * 11 MB/s; index builds went faster on both. A production server is usually quicker, so the
 * estimate leans long: an order of magnitude, said so.
 */
export const ASSUMED_BYTES_PER_SECOND: Readonly<Record<DialectName, number>> = {
  postgres: 40_000_000,
  mysql: 12_000_000,
};

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
  const rate = ASSUMED_BYTES_PER_SECOND[dialect];
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
              seconds: Math.round((statistics.bytes / rate) * 1000) / 1000,
              because: `${[...new Set(whole)].join(', ')}: ${formatBytes(statistics.bytes)} at an assumed ${formatBytes(rate)}/s`,
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
