import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAlgorithms } from '../../src/core/parts/plan/facts/mysql-algorithm-probe.ts';
import type { ServerTraits, TableTraits } from '../../src/core/parts/plan/facts/mysql-algorithm-rules.ts';
import {
  readServerTraits,
  tableTraitsFrom,
  verdictByRule,
} from '../../src/core/parts/plan/facts/mysql-algorithm-rules.ts';
import { tokenizeSql } from '../../src/core/parts/plan/statement-text.ts';
import { readTableStatement } from '../../src/core/parts/plan/table-statement.ts';
import { createSnapshotter } from '../../src/core/parts/schema/create-snapshotter.ts';
import { objectKey } from '../../src/core/parts/schema/snapshot.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';
import {
  AVAILABLE_ENGINES,
  describeEachEngine,
  dialectOf,
  isOracleMysql,
  openTestThrowaway,
} from '../support/engines.ts';

/**
 * The rules that spare the algorithm probe a statement must give exactly what the probe gives,
 * on each server (MariaDB's and MySQL's rules differ): each statement below is probed on a copy
 * on the real server, and judged by the rules, and the verdicts compared. The covered ones must
 * be covered (else the rule lost its reach), the others must be left to the probe.
 */
const TABLES = [
  'create table plain (id int primary key, name varchar(100) not null, ref_id int, note text, a int, b int)',
  'create table ref (id int primary key)',
  'create table nopk (a int not null, b int)',
  'create table redundant (id int primary key, name varchar(20)) row_format=redundant',
  'create table ft (id int primary key, body text, fulltext key ft_body (body))',
  'create table sp (id int primary key, g geometry not null, spatial index sp_g (g))',
  'create table comp (id int primary key, name varchar(20)) row_format=compressed',
  'create table kbs (id int primary key, name varchar(20)) key_block_size=8',
  'create table myi (id int primary key, name varchar(20), ref_id int) engine=MyISAM',
  'create table part (id int primary key, name varchar(20)) partition by hash(id) partitions 2',
  'create table gen (id int primary key, a int, v int as (a + 1) virtual)',
];

/** Statements the rules judge without a probe. */
const COVERED = [
  'alter table plain add column c1 varchar(50)',
  'alter table plain add c1 int',
  'alter table plain add column c1 int unsigned not null',
  'alter table plain add column c1 int not null default 0',
  'alter table plain add column c1 decimal(10, 2) default -1.5',
  "alter table plain add column c1 varchar(20) character set utf8mb4 collate utf8mb4_bin default 'x' comment 'c'",
  "alter table plain add column c1 enum('a', 'b') not null default 'a'",
  'alter table plain add column c1 text',
  'alter table plain add column c1 longblob null',
  'alter table plain add column c1 datetime default null',
  'alter table plain add column c1 date',
  'alter table plain add column c1 boolean default false',
  'alter table plain add column c1 double',
  'alter table plain add column `c 1` bigint',
  'alter table nopk add column c1 int',
  'alter table redundant add column c1 int',
  'alter table plain add constraint fk_1 foreign key (ref_id) references ref (id) on delete set null',
  'alter table plain add foreign key (ref_id) references ref (id)',
  'alter table plain add constraint fk_1 foreign key (ref_id) references plain (id)',
  'alter table plain add constraint foreign key fk_1 (ref_id) references ref (id)',
  'alter table nopk add constraint fk_1 foreign key (b) references ref (id)',
  'create index idx_1 on plain (name)',
  'create index idx_1 on plain (name, ref_id desc)',
  'create index idx_1 on plain (note(20))',
  'create unique index idx_1 on plain (name)',
  'create index idx_1 on nopk (b)',
  'create index idx_1 on gen (a)',
  'alter table plain add index idx_1 (name)',
  'alter table plain add unique key idx_1 (name, ref_id)',
];

/** Statements left to the probe. */
const PROBED = [
  'alter table plain add column c1 int first',
  'alter table plain add column c1 int after id',
  'alter table plain add column c1 int auto_increment unique',
  'alter table plain add column c1 int unique',
  'alter table plain add column c1 timestamp',
  'alter table plain add column c1 json',
  'alter table plain add column c1 int as (id + 1) virtual',
  'alter table plain add column c1 int default (id + 1)',
  'alter table plain add column c1 int, algorithm=instant',
  'alter table plain add column c1 int, add column c2 int',
  'alter table plain add column if not exists c1 int',
  'alter table ft add column c1 int',
  'alter table sp add column c1 int',
  'alter table comp add column c1 int',
  'alter table kbs add column c1 int',
  'alter table myi add column c1 int',
  'alter table part add column c1 int',
  'alter table myi add constraint fk_1 foreign key (ref_id) references ref (id)',
  'alter table plain add constraint fk_1 foreign key (ref_id) references ref (id), lock=shared',
  'create unique index idx_1 on nopk (a)',
  'create index idx_1 on gen (v)',
  'create index idx_1 on plain (name) using btree',
  'create index if not exists idx_1 on plain (name)',
  'create fulltext index idx_1 on plain (note)',
  'create index idx_1 on ft (id)',
  'create index idx_1 on sp (id)',
  'create index idx_1 on myi (name)',
  'alter table plain add index (name)',
  'alter table plain add primary key (id, a)',
  'alter table plain modify name varchar(200) not null',
  'alter table plain drop column note',
];

/** MariaDB only: system-versioned tables, and a foreign key the probe's copy takes to a table not made yet. */
const MARIADB_TABLES = ['create table ver (id int primary key, name varchar(20)) with system versioning'];
const COVERED_ON_MARIADB = [
  'alter table plain add constraint fk_1 foreign key (ref_id) references not_yet_created (id)',
];
const PROBED_ON_MARIADB = ['alter table ver add column c1 int'];
/** MySQL refuses a foreign key to a table that does not exist, whatever the algorithm: the probe says so. */
const PROBED_ON_MYSQL = [
  'alter table plain add constraint fk_1 foreign key (ref_id) references not_yet_created (id)',
];

describeEachEngine(
  'Algorithm rules against the probe',
  (engine) => {
    const mariadb = !isOracleMysql(engine);
    let throwaway: ThrowawayDatabase;
    let tables: (table: string) => TableTraits | undefined;
    let existed: (table: string) => boolean;
    let server: ServerTraits | undefined;

    beforeAll(async () => {
      throwaway = await openTestThrowaway(engine);
      for (const statement of [...TABLES, ...(mariadb ? MARIADB_TABLES : [])])
        await sql.raw(statement).execute(throwaway.db);
      const before = await createSnapshotter('mysql').take(throwaway.db, { excludeTables: [] });
      tables = tableTraitsFrom(before);
      existed = (table) => before.objects[objectKey({ kind: 'table', name: table })] !== undefined;
      server = await readServerTraits(throwaway.db, mariadb);
    }, 60_000);
    afterAll(async () => {
      await throwaway?.[Symbol.asyncDispose]();
    });

    /** The rules' verdict for a statement alone in its up, and the probe's and the probe-with-rules' verdicts. */
    async function judge(statement: string) {
      const tokens = tokenizeSql(statement, 'mysql');
      const read = readTableStatement(tokens, 'mysql')!;
      const rule = verdictByRule(read, tokens, tables, server);
      const probed = (await probeAlgorithms(throwaway.db, [statement], existed, mariadb)).get(0);
      const withRules = (await probeAlgorithms(throwaway.db, [statement], existed, mariadb, { tables })).get(
        0,
      );
      return { rule, probed, withRules };
    }

    it('reads the server settings the rules depend on', () => {
      expect(server).toEqual({
        engine: mariadb ? 'mariadb' : 'mysql',
        foreignKeyChecks: true,
        instantAddAtEnd: true,
      });
    });

    it.each([...COVERED, ...(mariadb ? COVERED_ON_MARIADB : [])])(
      'gives what the probe gives, without probing: %s',
      async (statement) => {
        const { rule, probed, withRules } = await judge(statement);
        expect(probed).toBeDefined();
        expect(rule).toEqual(probed);
        expect(withRules).toEqual(probed);
      },
    );

    it.each([...PROBED, ...(mariadb ? PROBED_ON_MARIADB : PROBED_ON_MYSQL)])(
      'leaves it to the probe: %s',
      async (statement) => {
        const { rule, probed, withRules } = await judge(statement);
        expect(rule).toBeUndefined();
        expect(withRules).toEqual(probed);
      },
    );

    it('judges only a table’s last statement by rule, so the copy has what the later ones need', async () => {
      const up = [
        'alter table plain add column c1 int',
        'create index idx_1 on plain (c1)',
        'alter table plain add constraint fk_1 foreign key (ref_id) references ref (id)',
        'alter table ft add column c1 int',
        'alter table plain drop column c1',
      ];
      const probed = await probeAlgorithms(throwaway.db, up, existed, mariadb);
      const withRules = await probeAlgorithms(throwaway.db, up, existed, mariadb, { tables });
      expect([...withRules]).toEqual([...probed]);
      expect(probed.get(0)?.algorithm).toBe('instant');
    });

    it('leaves the database as it found it', async () => {
      const after = await createSnapshotter('mysql').take(throwaway.db, { excludeTables: [] });
      expect(Object.keys(after.objects).filter((key) => key.includes('migration_gate_probe'))).toEqual([]);
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'mysql'),
);

describe('Algorithm rules', () => {
  const plain: TableTraits = {
    engine: 'InnoDB',
    rowFormat: null,
    createOptions: null,
    systemVersioned: false,
    partitioned: false,
    indexTypes: ['BTREE'],
    hasPrimaryKey: true,
    plainColumns: new Set(['id', 'ref_id']),
  };
  const known = (table: string) => (table === 't' || table === 'r' ? plain : undefined);
  const judge = (statement: string, server: ServerTraits) => {
    const tokens = tokenizeSql(statement, 'mysql');
    return verdictByRule(readTableStatement(tokens, 'mysql')!, tokens, known, server);
  };
  const mariadb = { engine: 'mariadb', foreignKeyChecks: true, instantAddAtEnd: true } as const;
  const mysql = { engine: 'mysql', foreignKeyChecks: true, instantAddAtEnd: true } as const;

  it('leaves a foreign key to the probe when the session has foreign_key_checks off', () => {
    const statement = 'alter table t add constraint fk_1 foreign key (ref_id) references r (id)';
    expect(judge(statement, mariadb)).toEqual({ algorithm: 'copy', table: 't' });
    expect(judge(statement, { ...mariadb, foreignKeyChecks: false })).toBe(undefined);
    expect(judge(statement, { ...mysql, foreignKeyChecks: false })).toBe(undefined);
  });

  it('leaves to the probe, on MySQL, a foreign key to a table that did not exist before the up', () => {
    const statement = 'alter table t add constraint fk_1 foreign key (ref_id) references later (id)';
    expect(judge(statement, mysql)).toBe(undefined);
    expect(judge(statement.replace('later', 'r'), mysql)).toEqual({ algorithm: 'copy', table: 't' });
    expect(judge(statement.replace('later', 't'), mysql)).toEqual({ algorithm: 'copy', table: 't' });
  });

  it('gives a plain index NOCOPY on MariaDB and INPLACE on MySQL, each server’s own verdict', () => {
    expect(judge('create index idx_1 on t (id)', mariadb)).toEqual({ algorithm: 'nocopy', table: 't' });
    expect(judge('create index idx_1 on t (id)', mysql)).toEqual({ algorithm: 'inplace', table: 't' });
  });

  it('leaves an added column to the probe where the server does not add one INSTANT (MariaDB with innodb_instant_alter_column_allowed=never, MySQL before 8.0.12)', () => {
    const statement = 'alter table t add column c int';
    expect(judge(statement, mariadb)).toEqual({ algorithm: 'instant', table: 't' });
    expect(judge(statement, mysql)).toEqual({ algorithm: 'instant', table: 't' });
    expect(judge(statement, { ...mariadb, instantAddAtEnd: false })).toBe(undefined);
    expect(judge(statement, { ...mysql, instantAddAtEnd: false })).toBe(undefined);
  });

  it('has no rule without the server settings (MariaDB before 10.3.23) or the table', () => {
    const tokens = tokenizeSql('alter table t add column c int', 'mysql');
    const read = readTableStatement(tokens, 'mysql')!;
    expect(verdictByRule(read, tokens, known, undefined)).toBe(undefined);
    expect(verdictByRule(read, tokens, () => undefined, mariadb)).toBe(undefined);
  });
});

/**
 * MySQL's verdicts, from MySQL's own online DDL matrix (8.0.29 and later), as the probe reads
 * them from the server; MariaDB's rules must never answer for it (the two servers judge the
 * same statement differently).
 */
const MYSQL_VERDICTS: readonly (readonly [string, string])[] = [
  ['alter table plain add column c1 int', 'instant'],
  // INSTANT in any position, and INSTANT DROP COLUMN: MySQL 8.0.29 (MariaDB: a probe each).
  ['alter table plain add column c1 int first', 'instant'],
  ['alter table plain add column c1 int after id', 'instant'],
  ['alter table plain drop column note', 'instant'],
  ['alter table plain rename column note to memo', 'instant'],
  ['alter table plain alter column a set default 5', 'instant'],
  ['alter table plain add column c1 int invisible', 'instant'],
  ['alter table plain add column c1 int as (id + 1) virtual', 'instant'],
  ['alter table plain add constraint ck_1 check (a > 0) not enforced', 'instant'],
  // No NOCOPY on MySQL: a secondary index is built in place while writes go on.
  ['create index idx_1 on plain (name)', 'inplace'],
  ['alter table plain add index idx_1 (a) invisible', 'inplace'],
  ['alter table plain modify a int not null', 'inplace'],
  ['alter table plain modify name varchar(200) not null', 'inplace'],
  ['create fulltext index idx_1 on plain (note)', 'inplace-locked'],
  ['alter table plain convert to character set utf8mb4 collate utf8mb4_bin', 'inplace-locked'],
  // An enforced CHECK is validated on every row: only by copying the table.
  ['alter table plain add constraint ck_1 check (a > 0)', 'copy'],
  ['alter table plain modify a bigint', 'copy'],
  ['alter table plain add column c1 int default (a + 1)', 'copy'],
  ['alter table plain add column c1 int as (id + 1) stored', 'copy'],
  ['alter table plain add constraint fk_1 foreign key (ref_id) references ref (id)', 'copy'],
];

describeEachEngine(
  'MySQL algorithm probe',
  (engine) => {
    let throwaway: ThrowawayDatabase;
    let tables: (table: string) => TableTraits | undefined;
    let existed: (table: string) => boolean;

    beforeAll(async () => {
      throwaway = await openTestThrowaway(engine);
      for (const statement of TABLES.slice(0, 2)) await sql.raw(statement).execute(throwaway.db);
      const before = await createSnapshotter('mysql').take(throwaway.db, { excludeTables: [] });
      tables = tableTraitsFrom(before);
      existed = (table) => before.objects[objectKey({ kind: 'table', name: table })] !== undefined;
    }, 60_000);
    afterAll(async () => {
      await throwaway?.[Symbol.asyncDispose]();
    });

    it.each(MYSQL_VERDICTS)('judges %s as %s', async (statement, algorithm) => {
      const verdict = (await probeAlgorithms(throwaway.db, [statement], existed, false, { tables })).get(0);
      expect(verdict).toEqual({ algorithm, table: 'plain' });
    });

    it('takes a pinned ALGORITHM=INSTANT as given, asking about no lock (MySQL refuses any LOCK beside it)', async () => {
      const statement = 'alter table plain add column c1 int, algorithm=instant';
      const verdict = (await probeAlgorithms(throwaway.db, [statement], existed, false)).get(0);
      expect(verdict).toEqual({ algorithm: 'instant', table: 'plain', pinned: true });
    });

    it('judges by MySQL’s own rules, never MariaDB’s, which judge an index differently', async () => {
      const statement = 'create index idx_1 on plain (name)';
      const tokens = tokenizeSql(statement, 'mysql');
      const read = readTableStatement(tokens, 'mysql')!;
      const server = { foreignKeyChecks: true, instantAddAtEnd: true } as const;
      const verdict = (await probeAlgorithms(throwaway.db, [statement], existed, false, { tables })).get(0);
      expect(verdictByRule(read, tokens, tables, { ...server, engine: 'mariadb' })?.algorithm).toBe('nocopy');
      expect(verdictByRule(read, tokens, tables, { ...server, engine: 'mysql' })?.algorithm).toBe('inplace');
      expect(verdict).toEqual({ algorithm: 'inplace', table: 'plain' });
    });

    it('counts the row version of an ADD COLUMN judged INSTANT by rule, as its copy would, after those probed on it', async () => {
      const added = new Map<string, number>();
      const statements = [
        'alter table plain add column c1 int',
        'alter table plain add column c2 int',
        'alter table ref add column c1 int first',
      ];
      await probeAlgorithms(throwaway.db, statements, existed, false, { tables, addedRowVersions: added });
      // plain: the first on its copy, the last by rule; ref: probed alone (FIRST is no rule's form).
      expect([...added].sort()).toEqual([
        ['plain', 2],
        ['ref', 1],
      ]);
    });

    it('leaves the database as it found it', async () => {
      const after = await createSnapshotter('mysql').take(throwaway.db, { excludeTables: [] });
      expect(Object.keys(after.objects).filter((key) => key.includes('migration_gate_probe'))).toEqual([]);
    });
  },
  AVAILABLE_ENGINES.filter(isOracleMysql),
);
