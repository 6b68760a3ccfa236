import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { verdicts } from '../check/check-fixture.ts';
import { describeEachEngine, dialectOf } from '../support/engines.ts';
import { checkFolder, ONE_RULE_AT_A_TIME, planFixture, risksOf, risksOfRule } from './plan-fixture.ts';

// One run of test/fixtures/plan/risks per engine: a base migration creates the tables, then
// each migration either trips one rule (`..._trips`) or does something close that must not
// (`..._quiet`). Every migration stays applied, so each works on its own tables or columns.
// The rules of issue 16 have their own fixture (risk-rules-more.test.ts) and are off here.
describeEachEngine('risk rules', (engine) => {
  const postgres = dialectOf(engine) === 'postgres';
  let check: CheckResult;
  beforeAll(async () => {
    check = await checkFolder(engine, planFixture('risks'), 'step', ONE_RULE_AT_A_TIME);
  }, 180_000);

  const rules = (name: string) => risksOf(check, name).map((risk) => risk.rule);
  /** `it` for what only one dialect does, declared on that dialect's engines only. */
  const itOn = (dialect: 'postgres' | 'mysql') => (name: string, test: () => void) => {
    if (dialectOf(engine) === dialect) it(name, test);
  };

  it('proves every fixture migration, so each rule judges a real run', () => {
    expect(
      verdicts(check).filter((verdict) => !/: (reversible|declared-irreversible)$/.test(verdict)),
    ).toEqual([]);
  });

  describe('drop-table', () => {
    it('flags dropping a table that existed before as an error, blamed on its statement, with the rows it lost', () => {
      expect(risksOf(check, '0101_drop_table_trips')).toMatchObject([
        {
          rule: 'drop-table',
          severity: 'error',
          what: 'drops table audit_log',
          statement: 0,
          evidence: [
            'table audit_log existed before the up and is gone after it',
            // The proof with rows counts what the drop took with it.
            expect.stringMatching(/^\d+ seeded row\(s\) of audit_log lost on the throwaway$/),
          ],
        },
      ]);
    });

    it('ignores a table the same migration creates and drops', () => {
      expect(rules('0102_drop_table_quiet')).toEqual([]);
    });
  });

  describe('drop-column', () => {
    it('flags dropping a column of an existing table as an error', () => {
      expect(risksOf(check, '0103_drop_column_trips')).toMatchObject([
        { rule: 'drop-column', severity: 'error', what: 'drops column accounts.legacy', statement: 0 },
      ]);
    });

    it('ignores a column dropped from a table created by the same migration', () => {
      expect(rules('0104_drop_column_quiet')).toEqual([]);
    });

    it('carries the reason of a migration that acknowledges the risk', () => {
      expect(risksOf(check, '0105_drop_column_acknowledged')).toMatchObject([
        {
          rule: 'drop-column',
          what: 'drops column accounts.fax',
          acknowledged: 'fax unused since v2.3, checked in logs',
        },
      ]);
    });
  });

  describe('truncate-table', () => {
    it('flags emptying an existing table as an error', () => {
      expect(risksOf(check, '0106_truncate_trips')).toMatchObject([
        { rule: 'truncate-table', severity: 'error', what: 'empties table archive (TRUNCATE)', statement: 0 },
      ]);
      if (postgres)
        expect(risksOf(check, '0106_truncate_trips')[0]!.evidence).toEqual([
          'emptied table archive (relfilenode changed)',
        ]);
    });

    it('ignores a table the same migration creates', () => {
      expect(rules('0107_truncate_quiet')).toEqual([]);
    });
  });

  describe('rename-table', () => {
    it('flags renaming an existing table as a warning, not as a drop', () => {
      expect(risksOf(check, '0108_rename_table_trips')).toMatchObject([
        {
          rule: 'rename-table',
          severity: 'warning',
          what: 'renames table history to history_entries',
          statement: 0,
        },
      ]);
    });

    it('ignores renaming a table the same migration creates', () => {
      expect(rules('0109_rename_table_quiet')).toEqual([]);
    });
  });

  describe('rename-column', () => {
    it('flags renaming a column of an existing table as a warning, not as a drop', () => {
      expect(risksOf(check, '0110_rename_column_trips')).toMatchObject([
        { rule: 'rename-column', severity: 'warning', what: 'renames column accounts.nickname to handle' },
      ]);
    });

    it('ignores renaming a column of a table the same migration creates', () => {
      expect(rules('0111_rename_column_quiet')).toEqual([]);
    });
  });

  describe('change-column-type', () => {
    it('is an error when the change rewrites the table, with what the database showed', () => {
      const [risk] = risksOfRule(check, '0112_change_column_type_trips', 'change-column-type');
      expect(risk).toMatchObject({ severity: 'error', statement: 0 });
      expect(risk!.evidence).toContain(
        postgres
          ? 'rewrote table orders (relfilenode changed)'
          : 'the server refused INSTANT and INPLACE on a copy of orders: only ALGORITHM=COPY, which blocks writes while the table is copied',
      );
    });

    itOn('postgres')('is a warning when Postgres changes the type without a rewrite', () => {
      const [risk] = risksOfRule(check, '0113_change_column_type_widening', 'change-column-type');
      expect(risk).toMatchObject({
        severity: 'warning',
        what: 'changes the type of column accounts.city from varchar(50) to varchar(80)',
      });
      expect(risk!.evidence).toContain('no rewrite of accounts (relfilenode unchanged)');
    });

    it('ignores a column of a table the same migration creates', () => {
      expect(rules('0114_change_column_type_quiet')).toEqual([]);
    });
  });

  describe('set-not-null', () => {
    it('flags making a column of an existing table NOT NULL as a warning', () => {
      expect(risksOf(check, '0115_set_not_null_trips')).toMatchObject([
        {
          rule: 'set-not-null',
          severity: 'warning',
          what: 'makes column accounts.email NOT NULL',
          statement: 0,
        },
      ]);
    });

    it('ignores a column of a table the same migration creates', () => {
      expect(rules('0116_set_not_null_quiet')).toEqual([]);
    });
  });

  describe('add-not-null-column-without-default', () => {
    it('flags a NOT NULL column without default added to an existing table', () => {
      expect(risksOf(check, '0117_add_not_null_column_trips')).toMatchObject([
        {
          rule: 'add-not-null-column-without-default',
          severity: 'warning',
          what: 'adds NOT NULL column accounts.tier without a default to existing table accounts',
        },
      ]);
    });

    it('ignores one that has a default', () => {
      expect(rules('0118_add_not_null_column_quiet')).toEqual([]);
    });
  });

  describe('create-index-blocking', () => {
    itOn('postgres')(
      'flags an index built on an existing table in a transaction, with the lock it took',
      () => {
        expect(risksOf(check, '0119_create_index_trips')).toMatchObject([
          {
            rule: 'create-index-blocking',
            severity: 'error',
            what: 'builds index accounts_email_idx on existing table accounts without CONCURRENTLY',
            evidence: ['took SHARE lock on accounts (blocks writes until COMMIT)'],
          },
        ]);
      },
    );

    itOn('postgres')('judges from the statement when the migration runs outside a transaction', () => {
      expect(risksOf(check, '0122_create_index_no_transaction_trips')).toMatchObject([
        {
          rule: 'create-index-blocking',
          evidence: [
            'locks not read: the migration runs outside a transaction, so each statement released its locks; judged from the statement text',
          ],
        },
      ]);
    });

    it('ignores CREATE INDEX CONCURRENTLY outside a transaction', () => {
      expect(rules('0120_create_index_concurrently_quiet')).toEqual([]);
    });

    it('ignores an index on a table the same migration creates', () => {
      expect(rules('0121_create_index_new_table_quiet')).toEqual([]);
    });

    itOn('mysql')('never applies on MySQL/MariaDB, which builds the index online', () => {
      expect(rules('0119_create_index_trips')).toEqual([]);
    });
  });

  describe('add-constraint-without-not-valid', () => {
    itOn('postgres')('flags a check constraint validated against an existing table', () => {
      expect(risksOf(check, '0123_add_check_trips')).toMatchObject([
        {
          rule: 'add-constraint-without-not-valid',
          severity: 'warning',
          what: 'adds check constraint orders_total_positive to existing table orders, validating every row',
        },
      ]);
    });

    itOn('postgres')('shows the locks a foreign key takes on both tables', () => {
      expect(
        risksOfRule(check, '0124_add_foreign_key_trips', 'add-constraint-without-not-valid'),
      ).toMatchObject([
        {
          evidence: [
            'constraint orders_account_fk is validated after the up',
            'took SHARE ROW EXCLUSIVE lock on orders (blocks writes until COMMIT)',
            'took SHARE ROW EXCLUSIVE lock on accounts (blocks writes until COMMIT)',
          ],
        },
      ]);
    });

    it('ignores a constraint added NOT VALID (on MySQL/MariaDB: an instant change)', () => {
      expect(rules('0125_add_constraint_not_valid_quiet')).toEqual([]);
    });
  });

  describe('volatile-default-rewrite', () => {
    it('flags a column added with a per-row default that rewrites the table', () => {
      const [risk] = risksOfRule(check, '0126_volatile_default_trips', 'volatile-default-rewrite');
      expect(risk).toMatchObject({ severity: 'error', statement: 0 });
      expect(risk!.evidence).toContain(
        postgres
          ? 'rewrote table orders (relfilenode changed)'
          : 'the server refused INSTANT and INPLACE on a copy of orders: only ALGORITHM=COPY, which blocks writes while the table is copied',
      );
    });

    it('ignores a constant default, which needs no rewrite', () => {
      expect(rules('0127_constant_default_quiet')).toEqual([]);
    });
  });

  describe('table-rewrite', () => {
    itOn('postgres')('flags a rewrite of an existing table no other rule explains', () => {
      expect(risksOf(check, '0128_table_rewrite_trips')).toMatchObject([
        {
          rule: 'table-rewrite',
          severity: 'error',
          what: 'rewrites table journal',
          evidence: [
            'rewrote table journal (relfilenode changed)',
            'took ACCESS EXCLUSIVE lock on journal (blocks reads and writes until COMMIT)',
          ],
        },
      ]);
    });

    it('ignores a change that leaves the storage alone (on MySQL/MariaDB: a rebuild with writes going on)', () => {
      expect(rules('0129_table_rewrite_quiet')).toEqual([]);
      if (!postgres) expect(rules('0128_table_rewrite_trips')).toEqual([]);
    });
  });

  describe('mysql-copy-algorithm', () => {
    itOn('mysql')(
      'flags a statement the server accepts only with ALGORITHM=COPY: an enforced CHECK validates every row while the table is copied',
      () => {
        expect(risksOf(check, '0123_add_check_trips')).toMatchObject([
          {
            rule: 'mysql-copy-algorithm',
            severity: 'error',
            what: 'copies table orders to run statement 1',
            statement: 0,
            why: expect.stringContaining(
              'the server enforces CHECK constraints (MySQL since 8.0.16, MariaDB since 10.2): adding one validates every existing row while it copies the whole table (ALGORITHM=COPY)',
            ),
            instead: expect.stringContaining('NOT ENFORCED'),
          },
        ]);
        // Any other copy keeps the general reason.
        expect(risksOf(check, '0136_pinned_copy_trips')[0]!.why).toBe(
          'the server copies the whole table to do it, and writes wait until the copy is done',
        );
      },
    );

    itOn('mysql')('takes the ALGORITHM a statement pins as the one the server will use', () => {
      expect(rules('0136_pinned_copy_trips')).toEqual(['mysql-copy-algorithm']);
      expect(rules('0137_pinned_instant_quiet')).toEqual([]);
    });

    it('ignores a change the server does instantly (and never applies on Postgres)', () => {
      expect(rules('0125_add_constraint_not_valid_quiet')).toEqual([]);
      if (postgres) expect(rules('0123_add_check_trips')).not.toContain('mysql-copy-algorithm');
    });
  });

  describe('mysql-inplace-lock', () => {
    itOn('mysql')('flags a statement the server does in place only with a lock', () => {
      expect(risksOf(check, '0130_fulltext_index_trips')).toMatchObject([
        {
          rule: 'mysql-inplace-lock',
          severity: 'error',
          evidence: [
            'the server accepted ALGORITHM=INPLACE on a copy of docs only with a lock (LOCK=NONE refused): writes wait',
          ],
        },
      ]);
    });

    it('ignores an index the server builds with writes going on (and never applies on Postgres)', () => {
      expect(rules('0119_create_index_trips')).not.toContain('mysql-inplace-lock');
      if (postgres) expect(rules('0130_fulltext_index_trips')).not.toContain('mysql-inplace-lock');
    });
  });

  describe('ddl-and-data-in-one-transaction', () => {
    itOn('postgres')(
      'flags rows changed in the transaction that holds a DDL lock, blamed on the UPDATE',
      () => {
        expect(risksOf(check, '0131_ddl_and_data_trips')).toMatchObject([
          {
            rule: 'ddl-and-data-in-one-transaction',
            severity: 'warning',
            statement: 1,
            evidence: [
              'held ACCESS EXCLUSIVE on accounts until COMMIT',
              'statement 2 writes rows of accounts',
            ],
          },
        ]);
      },
    );

    it('ignores a data change without DDL (and never applies on MySQL, which commits each DDL)', () => {
      expect(rules('0132_data_only_quiet')).toEqual([]);
      if (!postgres) expect(rules('0131_ddl_and_data_trips')).toEqual([]);
    });
  });

  describe('enum-value-change', () => {
    it('flags a value added to an existing enum as a warning', () => {
      const [risk] = risksOfRule(check, '0133_enum_add_value_trips', 'enum-value-change');
      expect(risk).toMatchObject({ severity: 'warning', statement: 0 });
      expect(risk!.what).toMatch(
        /^changes the values of enum (type mood|column accounts\.status): adds 'meh'$/,
      );
    });

    it('flags a value removed from an existing enum as an error', () => {
      const [risk] = risksOfRule(check, '0134_enum_remove_value_trips', 'enum-value-change');
      expect(risk).toMatchObject({ severity: 'error' });
      expect(risk!.what).toMatch(/removes 'meh'$/);
    });

    it('ignores an enum the same migration creates', () => {
      expect(rules('0135_enum_new_table_quiet')).toEqual([]);
    });
  });
});
