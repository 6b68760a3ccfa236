import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { verdicts } from '../check/check-fixture.ts';
import { runCheck } from '../../src/core/flows/check/run-check.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { optional } from '../../src/core/model/optional.ts';
import { describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import { checkFolder, migrationFolder, planFixture, risksOfRule } from './plan-fixture.ts';

// One run of test/fixtures/plan/more-risks per engine, for the rules of issue 16: a base
// migration creates the tables, then each migration trips a rule (`..._trips`) or does the
// safe thing close to it (`..._quiet`). Every rule is on, so each test asks for its own rule.
describeEachEngine('risk rules (more)', (engine) => {
  const postgres = dialectOf(engine) === 'postgres';
  let check: CheckResult;
  beforeAll(async () => {
    check = await checkFolder(engine, planFixture('more-risks'));
  }, 180_000);

  const of = (name: string, rule: string) => risksOfRule(check, name, rule);
  /** Every risk of a rule in the run, whatever the migration. */
  const anywhere = (rule: string) =>
    check.migrations.flatMap((migration) => migration.risks ?? []).filter((risk) => risk.rule === rule);
  /** `it` for what only one dialect does, declared on that dialect's engines only. */
  const itOn = (dialect: 'postgres' | 'mysql') => (name: string, test: () => void) => {
    if (dialectOf(engine) === dialect) it(name, test);
  };

  it('proves every fixture migration, so each rule judges a real run', () => {
    expect(verdicts(check).filter((verdict) => !/: reversible$/.test(verdict))).toEqual([]);
  });

  describe('constraint-builds-index', () => {
    itOn('postgres')('flags a unique constraint added to an existing table, with the lock it took', () => {
      expect(of('0201_unique_constraint_trips', 'constraint-builds-index')).toMatchObject([
        {
          severity: 'error',
          what: 'adds unique constraint accounts_email_key to existing table accounts, building its index',
          statement: 0,
          evidence: [
            'constraint accounts_email_key is there after the up with an index of its own, and no index was handed to it',
            'took ACCESS EXCLUSIVE lock on accounts (blocks reads and writes until COMMIT)',
          ],
        },
      ]);
    });

    itOn('postgres')('flags a column added with UNIQUE', () => {
      expect(of('0202_unique_column_trips', 'constraint-builds-index')).toMatchObject([
        { what: 'adds unique constraint accounts_ref_key to existing table accounts, building its index' },
      ]);
    });

    itOn('postgres')('ignores an index built concurrently and handed to the constraint USING INDEX', () => {
      expect(of('0203_unique_using_index_quiet', 'constraint-builds-index')).toEqual([]);
      expect(of('0203_unique_using_index_quiet', 'create-index-blocking')).toEqual([]);
    });

    itOn('mysql')('never applies on MySQL/MariaDB', () => {
      expect(anywhere('constraint-builds-index')).toEqual([]);
    });
  });

  describe('drop-index-blocking', () => {
    itOn('postgres')('flags DROP INDEX in a transaction, with the ACCESS EXCLUSIVE lock it took', () => {
      expect(of('0204_drop_index_trips', 'drop-index-blocking')).toMatchObject([
        {
          severity: 'warning',
          what: 'drops index orders_note_idx of table orders without CONCURRENTLY',
          evidence: [
            'took ACCESS EXCLUSIVE lock on orders (blocks reads and writes until COMMIT)',
            'the statement has no CONCURRENTLY',
          ],
        },
      ]);
    });

    itOn('postgres')('ignores DROP INDEX CONCURRENTLY outside a transaction', () => {
      expect(of('0205_drop_index_concurrently_quiet', 'drop-index-blocking')).toEqual([]);
    });

    itOn('mysql')('never applies on MySQL/MariaDB', () => {
      expect(anywhere('drop-index-blocking')).toEqual([]);
    });
  });

  describe('drop-and-recreate', () => {
    it('flags a table dropped and created again, which leaves the schema as it was', () => {
      expect(of('0206_recreate_table_trips', 'drop-and-recreate')).toMatchObject([
        {
          severity: 'error',
          what: 'drops table sessions and creates it again, empty',
          statement: 0,
          evidence: [
            postgres
              ? 'table sessions has another oid after the up: it is a new, empty table'
              : 'statement 1 drops table sessions, a later one creates it again',
          ],
        },
      ]);
      expect(of('0206_recreate_table_trips', 'drop-table')).toEqual([]);
    });

    it('flags a column dropped and added again', () => {
      expect(of('0207_recreate_column_trips', 'drop-and-recreate')).toMatchObject([
        {
          what: 'drops column accounts.handle and adds it again, empty',
          evidence: ['statement 1 drops column accounts.handle, statement 2 adds it again'],
        },
      ]);
    });

    it('ignores a table the same migration creates', () => {
      expect(of('0208_recreate_quiet', 'drop-and-recreate')).toEqual([]);
    });
  });

  describe('rename-schema', () => {
    itOn('postgres')('flags renaming a schema as a warning, not as its tables dropped', () => {
      expect(of('0209_rename_schema_trips', 'rename-schema')).toMatchObject([
        { severity: 'warning', what: 'renames schema billing to invoicing', statement: 0 },
      ]);
      expect(of('0209_rename_schema_trips', 'drop-table')).toEqual([]);
    });

    itOn('postgres')('ignores a schema the same migration creates', () => {
      expect(of('0210_rename_schema_quiet', 'rename-schema')).toEqual([]);
    });

    itOn('postgres')('takes a table moved to another schema for a rename, not a drop', () => {
      expect(of('0211_set_schema', 'rename-table')).toMatchObject([
        { what: 'renames table events to invoicing.events' },
      ]);
      expect(of('0211_set_schema', 'drop-table')).toEqual([]);
    });

    itOn('mysql')('never applies on MySQL/MariaDB', () => {
      expect(anywhere('rename-schema')).toEqual([]);
    });
  });

  describe('delete-without-where, update-without-where', () => {
    it('flags a DELETE of every row of an existing table as an error', () => {
      expect(of('0212_delete_without_where_trips', 'delete-without-where')).toMatchObject([
        { severity: 'error', what: 'deletes every row of carts (no WHERE)', statement: 0 },
      ]);
    });

    it('flags an UPDATE of every row of an existing table as a warning', () => {
      expect(of('0213_update_without_where_trips', 'update-without-where')).toMatchObject([
        { severity: 'warning', what: 'updates every row of accounts (no WHERE)', statement: 0 },
      ]);
    });

    itOn('postgres')(
      "reads a DELETE behind a WITH with Postgres's own parser (libpg-query), where tokens cannot tell",
      () => {
        expect(of('0222_with_delete_trips', 'delete-without-where')).toMatchObject([
          { what: 'deletes every row of carts (no WHERE)', statement: 0 },
        ]);
      },
    );

    it('ignores statements with a WHERE clause, though only a subquery has one inside it', () => {
      expect(of('0214_where_quiet', 'update-without-where')).toEqual([]);
      expect(of('0214_where_quiet', 'delete-without-where')).toEqual([]);
    });
  });

  describe('foreign-key-without-index', () => {
    itOn('postgres')('flags a foreign key with no index on its referencing columns', () => {
      expect(of('0215_foreign_key_trips', 'foreign-key-without-index')).toMatchObject([
        {
          severity: 'warning',
          what: 'adds foreign key payments_order_id_fkey on payments (order_id) with no index on those columns',
          evidence: ['after the up, no index of payments starts with (order_id)'],
        },
      ]);
    });

    it('ignores a foreign key with an index (and never applies on MySQL, where InnoDB builds one)', () => {
      expect(of('0216_foreign_key_indexed_quiet', 'foreign-key-without-index')).toEqual([]);
      if (!postgres) expect(of('0215_foreign_key_trips', 'foreign-key-without-index')).toEqual([]);
    });
  });

  describe('drop-table-without-if-exists', () => {
    it('notes DROP TABLE without IF EXISTS, as a notice', () => {
      expect(of('0206_recreate_table_trips', 'drop-table-without-if-exists')).toMatchObject([
        { severity: 'notice', what: 'drops table sessions without IF EXISTS', statement: 0 },
      ]);
    });

    it('ignores DROP TABLE IF EXISTS, and a table the same migration creates', () => {
      expect(of('0217_drop_table_if_exists_quiet', 'drop-table-without-if-exists')).toEqual([]);
      expect(of('0208_recreate_quiet', 'drop-table-without-if-exists')).toEqual([]);
    });
  });

  describe('lock-timeout-missing', () => {
    itOn('postgres')('flags a lock that blocks writes on an existing table with no lock timeout', () => {
      expect(of('0218_lock_timeout_trips', 'lock-timeout-missing')).toMatchObject([
        {
          severity: 'warning',
          what: 'locks accounts with no lock timeout in force',
          statement: 0,
          evidence: [
            'took ACCESS EXCLUSIVE lock on accounts (read before COMMIT)',
            'no statement before it sets lock_timeout, and the project declares no lockTimeout for its deploys',
          ],
        },
      ]);
    });

    itOn('mysql')(
      'flags an ALTER of an existing table on MySQL/MariaDB, instant or not: it waits for the metadata lock',
      () => {
        expect(of('0218_lock_timeout_trips', 'lock-timeout-missing')).toMatchObject([
          {
            severity: 'warning',
            what: 'waits for the metadata lock on accounts with no lock timeout in force',
            statement: 0,
            evidence: [
              'statement 1 changes accounts: it needs an exclusive metadata lock on accounts, granted only after every open transaction that used accounts ends',
              'no statement before it sets lock_wait_timeout (the server default: a year on MySQL, a day on MariaDB), and the project declares no lockTimeout for its deploys',
            ],
            instead: expect.stringContaining('SET SESSION lock_wait_timeout = 5'),
          },
        ]);
      },
    );

    it('ignores a migration that sets its lock timeout first (lock_timeout; on MySQL/MariaDB lock_wait_timeout)', () => {
      expect(of('0219_lock_timeout_quiet', 'lock-timeout-missing')).toEqual([]);
    });
  });

  describe('sequences: statements judged together', () => {
    itOn('postgres')(
      'a constraint added NOT VALID and validated later, outside a transaction, is the safe pattern',
      () => {
        expect(of('0301_not_valid_then_validate_quiet', 'add-constraint-without-not-valid')).toEqual([]);
      },
    );

    itOn('postgres')('in one transaction, VALIDATE still runs under the lock of the ADD', () => {
      expect(
        of('0302_not_valid_then_validate_in_transaction_trips', 'add-constraint-without-not-valid'),
      ).toMatchObject([
        {
          evidence: [
            'constraint orders_note_check is validated after the up',
            'added NOT VALID by statement 1 and validated by statement 2, in one transaction that holds the lock of the ADD until COMMIT',
            'took ACCESS EXCLUSIVE lock on orders (blocks reads and writes until COMMIT)',
          ],
        },
      ]);
    });

    itOn('postgres')(
      'SET NOT NULL after a CHECK (col IS NOT NULL) validated earlier in the migration does not scan',
      () => {
        expect(of('0303_check_then_set_not_null_quiet', 'set-not-null')).toEqual([]);
      },
    );

    itOn('postgres')(
      'a check still NOT VALID proves nothing: SET NOT NULL scans, blamed on its own statement',
      () => {
        expect(of('0304_unvalidated_check_then_set_not_null_trips', 'set-not-null')).toMatchObject([
          { what: 'makes column accounts.region NOT NULL', statement: 1 },
        ]);
      },
    );

    it('a column added NOT NULL with a default, then its default dropped, never held NULLs', () => {
      expect(of('0305_default_then_dropped_quiet', 'add-not-null-column-without-default')).toEqual([]);
    });

    itOn('postgres')(
      'serial and identity columns are NOT NULL by definition (their rewrite is reported)',
      () => {
        const name = '0306_serial_and_identity_columns_quiet';
        expect(of(name, 'set-not-null')).toEqual([]);
        expect(of(name, 'add-not-null-column-without-default')).toEqual([]);
        expect(of(name, 'volatile-default-rewrite')).toMatchObject([{ severity: 'error' }]);
      },
    );
  });

  describe('server-default-collation', () => {
    // The default each MySQL-dialect engine of the suite gives a table created without one.
    const serverDefault: Partial<Record<typeof engine, string>> = {
      mariadb: 'utf8mb4_general_ci',
      mariadb11: 'utf8mb4_uca1400_ai_ci',
      mysql: 'utf8mb4_0900_ai_ci',
    };

    itOn('mysql')(
      'notes a new table that takes the server default collation, naming the one it got here',
      () => {
        expect(of('0223_collation_trips', 'server-default-collation')).toEqual([
          expect.objectContaining({
            severity: 'notice',
            what: 'creates table notes with the database default collation',
            statement: 0,
            evidence: [
              `statement 1 names no character set or collation; table notes got ${serverDefault[engine]} on the throwaway database`,
            ],
          }),
        ]);
      },
    );

    itOn('mysql')('ignores a table that names its collation, or copies another table’s (LIKE)', () => {
      expect(of('0224_collation_quiet', 'server-default-collation')).toEqual([]);
    });

    itOn('postgres')('never applies on Postgres', () => {
      expect(anywhere('server-default-collation')).toEqual([]);
    });
  });

  describe('type advice', () => {
    itOn('postgres')('notes int keys, serial, varchar(n) and char(n), timestamp and json, as notices', () => {
      const advice = [
        'prefer-bigint-keys',
        'prefer-identity',
        'prefer-text',
        'prefer-timestamptz',
        'prefer-jsonb',
      ].flatMap((rule) => of('0220_types_trips', rule));
      expect(advice.map((risk) => [risk.rule, risk.severity, risk.what])).toEqual([
        [
          'prefer-bigint-keys',
          'notice',
          'column ledger.account_id is integer: a key column of a 4-byte (or smaller) integer type',
        ],
        [
          'prefer-bigint-keys',
          'notice',
          'column ledger.id is integer: a key column of a 4-byte (or smaller) integer type',
        ],
        ['prefer-identity', 'notice', 'column ledger.id is integer: numbered by a sequence default (serial)'],
        ['prefer-text', 'notice', 'column ledger.initials is char(2): a length-limited character type'],
        ['prefer-text', 'notice', 'column ledger.label is varchar(40): a length-limited character type'],
        [
          'prefer-timestamptz',
          'notice',
          'column ledger.booked_at is timestamp: a timestamp without time zone',
        ],
        ['prefer-jsonb', 'notice', 'column ledger.payload is json: json rather than jsonb'],
      ]);
    });

    itOn('mysql')('notes an int key on MySQL/MariaDB, where the other advice does not apply', () => {
      // Display widths are left out on every engine (MySQL 8.0.19+ no longer reports them).
      expect(risksOfRule(check, '0220_types_trips', 'prefer-bigint-keys').map((risk) => risk.what)).toEqual([
        `column ledger.id is int: a key column of a 4-byte (or smaller) integer type`,
      ]);
      for (const rule of ['prefer-identity', 'prefer-text', 'prefer-timestamptz', 'prefer-jsonb'])
        expect(of('0220_types_trips', rule)).toEqual([]);
    });

    it('ignores bigint identity keys, text, timestamptz and jsonb', () => {
      const rules = check.migrations
        .find((migration) => migration.name === '0221_types_quiet')!
        .risks!.map((risk) => risk.rule);
      expect(rules.filter((rule) => rule.startsWith('prefer-'))).toEqual([]);
    });
  });
});

describeEachEngine('project rule settings', (engine) => {
  const base = `-- migrate:up
create table accounts (id bigint primary key, email varchar(100));
-- migrate:down
drop table accounts;`;
  const lock = `-- migrate:up
alter table accounts add column nickname text;
-- migrate:down
alter table accounts drop column nickname;`;
  const update = `-- migrate:up
update accounts set email = lower(email);
-- migrate:down
select 1;`;

  it('turn a rule off, change a severity, and declare the lock timeout the deploy sets, from the config file', async () => {
    await using folder = await migrationFolder({
      '001_base.sql': base,
      '002_lock.sql': lock,
      '003_update.sql': update,
    });
    const plain = await checkFolder(engine, folder.path);
    const tuned = await checkFolder(engine, folder.path, 'step', {
      rules: { 'update-without-where': 'error', 'prefer-text': 'off' },
      lockTimeoutMs: 5_000,
    });
    const rules = (check: CheckResult, name: string) =>
      (check.migrations.find((migration) => migration.name === name)!.risks ?? []).map(
        (risk) => `${risk.rule} (${risk.severity})`,
      );
    expect(rules(plain, '003_update')).toEqual(['update-without-where (warning)']);
    expect(rules(tuned, '003_update')).toEqual(['update-without-where (error)']);
    // Without settings given, check reads them from migration-gate.config.json in its working directory.
    await using project = await migrationFolder({
      'db/001_base.sql': base,
      'db/003_update.sql': update,
      'migration-gate.config.json': JSON.stringify({ rules: { 'update-without-where': 'off' } }),
    });
    const configured = await runCheck({
      migrations: 'db',
      dialect: dialectOf(engine),
      throwaway: engine === 'pglite' ? 'embedded' : 'server',
      ...optional('serverUrl', serverUrlOf(engine)),
      mode: 'step',
      cwd: project.path,
      logger: silentLogger,
    });
    expect(rules(configured, '003_update')).toEqual([]);
    if (dialectOf(engine) === 'postgres') {
      expect(rules(plain, '001_base')).toEqual(['prefer-text (notice)']);
      expect(rules(tuned, '001_base')).toEqual([]);
    }
    expect(rules(plain, '002_lock')).toEqual(['lock-timeout-missing (warning)']);
    expect(rules(tuned, '002_lock')).toEqual([]);
  }, 120_000);
});
