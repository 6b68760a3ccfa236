import { beforeAll, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { resultOf } from '../check/check-fixture.ts';
import { checkFolder, migrationFolder } from '../plan/plan-fixture.ts';
import { CONFORMANCE_ENGINES, describeEachEngine, dialectOf, isOracleMysql } from '../support/engines.ts';

/**
 * An up of `count` ADD COLUMNs, one statement each (one row version each on MySQL: pinned
 * INSTANT, since MySQL adds a column to an empty table in place, uncounted), and a down
 * that drops them in one rebuild, which resets the count: the proof's down and second up leave
 * the table with the up's versions, as production would have it.
 */
function addColumns(table: string, prefix: string, count: number): string {
  const columns = Array.from({ length: count }, (_, at) => `${prefix}${at}`);
  return [
    '-- migrate:up',
    ...columns.map((column) => `alter table ${table} add column ${column} int, algorithm=instant;`),
    '-- migrate:down',
    `alter table ${table} ${columns.map((column) => `drop column ${column}`).join(', ')}, algorithm=inplace;`,
    '',
  ].join('\n');
}

// MySQL counts a table's INSTANT column changes; 255 on MySQL 9 (64 on 8.0), then it rebuilds.
describeEachEngine(
  'INSTANT row versions',
  (engine) => {
    let check: CheckResult;
    beforeAll(async () => {
      await using folder = await migrationFolder({
        '001_tables.sql':
          '-- migrate:up\ncreate table worn (id bigint primary key);\ncreate table fresh (id bigint primary key);\n-- migrate:down\ndrop table fresh;\ndrop table worn;\n',
        '002_near.sql': addColumns('worn', 'n', 250),
        // Not pinned: past the limit a pinned INSTANT fails; a default ALTER rebuilds instead.
        '003_past.sql': addColumns('worn', 'p', 6).replaceAll(', algorithm=instant;', ';'),
        '004_fresh.sql': addColumns('fresh', 'f', 3),
      });
      check = await checkFolder(engine, folder.path);
    }, 300_000);
    const rowVersionRisks = (name: string) =>
      (resultOf(check, name).risks ?? []).filter((risk) => risk.rule === 'mysql-instant-row-versions');

    it.runIf(isOracleMysql(engine))('notes a table the up leaves near the limit', () => {
      expect(rowVersionRisks('002_near')).toMatchObject([
        {
          severity: 'notice',
          what: 'leaves table worn 5 INSTANT column change(s) before MySQL rebuilds it',
          statement: 0,
          evidence: [
            "table worn had 0 row versions on the throwaway database after the migrations before this one; the up's INSTANT changes add 250; MySQL allows 255",
            expect.stringContaining("production's table, with rows, may count more"),
          ],
        },
      ]);
    });

    it.runIf(isOracleMysql(engine))('warns when the up pushes a table past the limit', () => {
      expect(rowVersionRisks('003_past')).toMatchObject([
        {
          severity: 'warning',
          what: "pushes table worn past MySQL's 255 row versions",
          evidence: [
            "table worn had 250 row versions on the throwaway database after the migrations before this one; the up's INSTANT changes add 6; MySQL allows 255",
            expect.stringContaining("production's table, with rows, may count more"),
          ],
        },
      ]);
    });

    it('says nothing of a table far from the limit, nor on MariaDB (which counts no row versions)', () => {
      expect(rowVersionRisks('004_fresh')).toEqual([]);
      if (!isOracleMysql(engine))
        for (const name of ['002_near', '003_past']) expect(rowVersionRisks(name)).toEqual([]);
    });

    it('proves every migration', () => {
      expect(check.migrations.map((migration) => `${migration.name}: ${migration.status}`)).toEqual(
        ['001_tables', '002_near', '003_past', '004_fresh'].map((name) => `${name}: reversible`),
      );
    });
  },
  CONFORMANCE_ENGINES.filter((engine) => dialectOf(engine) === 'mysql'),
);
