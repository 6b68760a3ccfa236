import type { RiskRule } from './rule.ts';

/**
 * `mysql-instant-row-versions` (MySQL): every INSTANT ADD or DROP COLUMN adds a row version to
 * the table, and MySQL allows only so many (64 on 8.0, 255 on 9.x) until the table is
 * rebuilt; past that INSTANT is refused (error 4092) and the ALTER rebuilds the table
 * instead. Judged from the probe: the versions the up adds on a fresh copy of the table, on
 * top of those the table had on the throwaway database after the migrations before it
 * (production's table may have more, see ROWS_COUNT). Severity `warning` when the up crosses the limit,
 * `notice` when it leaves an eighth of it or less.
 */
/**
 * MySQL changes an empty table in place rather than INSTANT (no row version) unless the ALTER
 * pins ALGORITHM=INSTANT: the throwaway's empty tables count fewer versions than production's.
 */
const ROWS_COUNT =
  "production's table, with rows, may count more: MySQL adds a column to an empty table without a row version unless the ALTER says ALGORITHM=INSTANT (read production's with SELECT TOTAL_ROW_VERSIONS FROM information_schema.INNODB_TABLES)";

export const mysqlInstantRowVersions: RiskRule = {
  id: 'mysql-instant-row-versions',
  dialects: ['mysql'],
  severity: 'warning',
  why: 'past the limit MySQL refuses ALGORITHM=INSTANT and the ALTER rebuilds the whole table instead (or fails, when it asks for INSTANT)',
  instead:
    'rebuild the table at a quiet time first (OPTIMIZE TABLE or ALTER TABLE ... FORCE, which reset the count), or combine the column changes into fewer ALTER statements',
  check(input) {
    return [...(input.facts.rowVersions ?? [])].flatMap(([table, { before, added, limit }]) => {
      const left = limit - before - added;
      if (added === 0 || left > limit / 8) return [];
      const statement = [...(input.facts.algorithms ?? [])].find(
        ([, verdict]) => verdict.table === table,
      )?.[0];
      const evidence = [
        `table ${table} had ${before} row versions on the throwaway database after the migrations before this one; the up's INSTANT changes add ${added}; MySQL allows ${limit}`,
        ROWS_COUNT,
      ];
      return left < 0
        ? [{ what: `pushes table ${table} past MySQL's ${limit} row versions`, statement, evidence }]
        : [
            {
              what: `leaves table ${table} ${left} INSTANT column change(s) before MySQL rebuilds it`,
              statement,
              evidence,
              severity: 'notice' as const,
              why: 'once the limit is reached, MySQL refuses ALGORITHM=INSTANT and every later column change rebuilds the whole table',
            },
          ];
    });
  },
};
