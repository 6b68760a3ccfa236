import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  mysqlFlavorOf,
  normalizeColumnDefault,
  normalizeColumnType,
  normalizeMysqlExpression,
  normalizeReferentialRule,
  parseColumnExtra,
  stripDatabaseQualifier,
} from '../../src/core/parts/schema/mysql-catalog-values.ts';
import { MysqlSnapshotter } from '../../src/core/parts/schema/mysql-snapshot.ts';
import type { SchemaObject, SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import type { TestEngine } from '../support/engine-list.ts';
import {
  AVAILABLE_ENGINES,
  describeEachEngine,
  dialectOf,
  isOracleMysql,
  openTestThrowaway,
} from '../support/engines.ts';

const snapshotter = new MysqlSnapshotter();

function take(db: Kysely<any>, excludeTables: readonly string[] = []): Promise<SchemaSnapshot> {
  return snapshotter.take(db, { excludeTables });
}

/** Runs statements one by one: routine bodies contain semicolons. */
async function run(db: Kysely<any>, ...statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** MariaDB's own kind of object: a sequence, with everything that defines it. */
function expectMariadbKinds(snapshot: SchemaSnapshot): void {
  expect(object(snapshot, 'sequence:ticket_seq').attributes).toEqual({
    start: '5',
    increment: '2',
    minValue: '1',
    maxValue: '1000',
    cache: '1000',
    cycle: true,
    comment: null,
    valueType: 'bigint(21)',
  });
}

/** MySQL's own kinds, spelled as MariaDB spells the same things. */
function expectMysqlKinds(snapshot: SchemaSnapshot): void {
  expect(object(snapshot, 'column:gadgets.secret').attributes).toMatchObject({
    invisible: true,
    extra: null,
  });
  expect(object(snapshot, 'column:gadgets.spot').attributes).toMatchObject({ type: 'point', srid: '4326' });
  expect(object(snapshot, 'column:gadgets.anywhere').attributes['srid']).toBeNull();
  expect(object(snapshot, 'index:gadgets/idx_gadgets_spot').attributes['type']).toBe('SPATIAL');
  expect(object(snapshot, 'column:gadgets.token').attributes).toMatchObject({
    default: 'uuid()',
    extra: null,
  });
  expect(object(snapshot, 'column:gadgets.label').attributes['default']).toBe("concat('g-','x')");
  expect(object(snapshot, 'index:gadgets/idx_gadgets_lower_sku').attributes).toMatchObject({
    columns: '(lower(`sku`))',
    unique: false,
  });
  expect(object(snapshot, 'index:gadgets/idx_gadgets_price_desc').attributes['columns']).toBe('price DESC');
  expect(object(snapshot, 'constraint:gadgets/chk_gadgets_price').attributes).toEqual({
    type: 'CHECK',
    clause: '`price` > 0',
    level: 'table',
    enforced: false,
  });
  expect(object(snapshot, 'constraint:gadgets/chk_gadgets_sku').attributes).toMatchObject({
    clause: "`sku` <> 'none'",
    enforced: true,
  });
}

function object(snapshot: SchemaSnapshot, key: string): SchemaObject {
  const found = snapshot.objects[key];
  if (found === undefined)
    throw new Error(`no ${key} in snapshot; keys: ${Object.keys(snapshot.objects).join(', ')}`);
  return found;
}

/** What decides the verdict: every key with its attributes, notes left out. */
function verdict(snapshot: SchemaSnapshot): Record<string, unknown> {
  return Object.fromEntries(Object.entries(snapshot.objects).map(([key, value]) => [key, value.attributes]));
}

/** A schema with one of every kind of object, cross-referencing tables so the database name shows up. */
const FULL_SCHEMA = [
  `create table users (
     id int unsigned auto_increment primary key,
     email varchar(200) not null,
     name varchar(100) character set latin1 collate latin1_swedish_ci default 'x''y' comment 'display name',
     created_at timestamp not null default current_timestamp on update current_timestamp,
     score decimal(5,2) default 1.50,
     upper_email varchar(200) as (upper(email)) stored,
     age int check (age > 0),
     unique key uq_users_email (email),
     constraint chk_users_score check (score >= 0)
   ) engine=InnoDB row_format=dynamic comment='people'`,
  `create table posts (
     id bigint auto_increment primary key,
     user_id int unsigned not null,
     title varchar(255) not null,
     body text,
     status enum('draft','live') default 'draft',
     key idx_posts_status_title (status desc, title(20)),
     fulltext key ft_posts_body (body),
     constraint fk_posts_user foreign key (user_id) references users (id) on delete cascade on update restrict
   )`,
  `create table ledger (id int not null, primary key (id)) partition by range (id)
     (partition p0 values less than (100), partition p1 values less than maxvalue)`,
  `create algorithm=merge sql security invoker view live_posts as
     select p.title, u.email from posts p join users u on u.id = p.user_id where p.status = 'live'
     with check option`,
  `create function post_count(uid int unsigned) returns int deterministic reads sql data
     begin return (select count(*) from posts where user_id = uid); end`,
  `create procedure publish(in pid bigint, out done varchar(10)) modifies sql data sql security invoker
     begin update posts set status = 'live' where id = pid; set done = 'ok'; end`,
  'create trigger trg_posts_trim before insert on posts for each row set new.title = trim(new.title)',
  `create trigger trg_posts_upper before insert on posts for each row follows trg_posts_trim
     set new.title = upper(new.title)`,
  "create event purge_drafts on schedule every 1 day disable do delete from posts where status = 'draft'",
];

/** What only MariaDB has: sequences. */
const MARIADB_SCHEMA = ['create sequence ticket_seq start with 5 increment by 2 maxvalue 1000 cycle'];

/**
 * What only MySQL 8+ has: functional indexes, NOT ENFORCED checks, an expression default on a
 * column of any type; and invisible columns and descending indexes, which MariaDB has too.
 */
const MYSQL_SCHEMA = [
  `create table gadgets (
     id int primary key,
     sku varchar(20) not null,
     secret varchar(20) invisible,
     token char(36) default (uuid()),
     label varchar(20) default (concat('g-', 'x')),
     price int,
     spot point not null srid 4326,
     anywhere point,
     spatial key idx_gadgets_spot (spot),
     key idx_gadgets_lower_sku ((lower(sku))),
     key idx_gadgets_price_desc (price desc),
     constraint chk_gadgets_price check (price > 0) not enforced,
     constraint chk_gadgets_sku check (sku <> 'none')
   )`,
];

/** The full schema on the engine: the common part and the engine's own kinds. */
function fullSchemaOn(engine: TestEngine): string[] {
  return [...FULL_SCHEMA, ...(isOracleMysql(engine) ? MYSQL_SCHEMA : MARIADB_SCHEMA)];
}

describe('MySQL snapshot helpers', () => {
  it('tells MariaDB from MySQL by the version string', () => {
    expect(mysqlFlavorOf('10.11.19-MariaDB-0+deb12u1')).toBe('mariadb');
    expect(mysqlFlavorOf('8.4.3')).toBe('mysql');
  });

  it('strips only the current database from qualified names', () => {
    const text =
      'select `migration_gate_1_ab`.`users`.`id` from `migration_gate_1_ab`.`users` join `other`.`t`';
    expect(stripDatabaseQualifier(text, 'migration_gate_1_ab')).toBe(
      'select `users`.`id` from `users` join `other`.`t`',
    );
  });

  it('spells defaults the same way for both flavors', () => {
    expect(normalizeColumnDefault('mariadb', 'NULL', '', 'int(11)')).toBeNull();
    expect(normalizeColumnDefault('mariadb', "'a'", '', 'varchar(5)')).toBe("'a'");
    expect(normalizeColumnDefault('mariadb', 'current_timestamp()', '', 'timestamp')).toBe(
      'current_timestamp()',
    );
    // MySQL 8 leaves literals unquoted and flags expressions in EXTRA.
    expect(normalizeColumnDefault('mysql', "it's", '', 'varchar(5)')).toBe("'it''s'");
    expect(normalizeColumnDefault('mysql', '2020-01-01', '', 'date')).toBe("'2020-01-01'");
    expect(normalizeColumnDefault('mysql', '0', '', 'int')).toBe('0');
    expect(normalizeColumnDefault('mysql', '1.50', '', 'decimal(5,2)')).toBe('1.50');
    expect(normalizeColumnDefault('mysql', "b'1'", '', 'bit(1)')).toBe("b'1'");
    expect(normalizeColumnDefault('mysql', 'CURRENT_TIMESTAMP', 'DEFAULT_GENERATED', 'timestamp')).toBe(
      'current_timestamp()',
    );
    expect(normalizeColumnDefault('mysql', 'CURRENT_TIMESTAMP(3)', 'DEFAULT_GENERATED', 'datetime(3)')).toBe(
      'current_timestamp(3)',
    );
    expect(
      normalizeColumnDefault('mysql', "concat(_utf8mb4\\'a\\',_utf8mb4\\'b\\')", 'DEFAULT_GENERATED', 'text'),
    ).toBe("concat('a','b')");
    expect(normalizeColumnDefault('mysql', null, '', 'int')).toBeNull();
  });

  it('spells expressions alike for both flavors', () => {
    expect(normalizeMysqlExpression('mysql', '(`price` < 1000)')).toBe('`price` < 1000');
    expect(normalizeMysqlExpression('mysql', "(`s` in (_utf8mb4\\'a\\',_latin1\\'b\\'))")).toBe(
      "`s` in ('a','b')",
    );
    // Only a pair that encloses everything goes; a quoted `_x'` that is no introducer stays.
    expect(normalizeMysqlExpression('mysql', '(`a` + 1) * (`b` + 1)')).toBe('(`a` + 1) * (`b` + 1)');
    expect(normalizeMysqlExpression('mysql', "concat(`a_b`,'_x''y')")).toBe("concat(`a_b`,'_x''y')");
    expect(normalizeMysqlExpression('mariadb', '(`a` > 0)')).toBe('(`a` > 0)');
    expect(normalizeMysqlExpression('mariadb', "concat(ucase(`a`),lcase(`b`),'ucase(')")).toBe(
      "concat(upper(`a`),lower(`b`),'ucase(')",
    );
    expect(normalizeMysqlExpression('mariadb', '`my_ucase`(`a`)')).toBe('`my_ucase`(`a`)');
  });

  it('leaves integer display widths out of column types, except where they mean something', () => {
    expect(normalizeColumnType('int(11)')).toBe('int');
    expect(normalizeColumnType('bigint(20) unsigned')).toBe('bigint unsigned');
    expect(normalizeColumnType('year(4)')).toBe('year');
    expect(normalizeColumnType('tinyint(1)')).toBe('tinyint(1)');
    expect(normalizeColumnType('int(5) unsigned zerofill')).toBe('int(5) unsigned zerofill');
    expect(normalizeColumnType('decimal(5,2)')).toBe('decimal(5,2)');
  });

  it('records NO ACTION as RESTRICT, which InnoDB treats alike', () => {
    expect(normalizeReferentialRule('NO ACTION')).toBe('RESTRICT');
    expect(normalizeReferentialRule('CASCADE')).toBe('CASCADE');
  });

  it('reads EXTRA of both flavors', () => {
    expect(parseColumnExtra('on update current_timestamp()')).toEqual({
      autoIncrement: false,
      onUpdate: 'current_timestamp()',
      generated: null,
      invisible: false,
      other: null,
    });
    expect(parseColumnExtra('DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)')).toMatchObject({
      onUpdate: 'current_timestamp(3)',
      other: null,
    });
    expect(parseColumnExtra('STORED GENERATED INVISIBLE')).toMatchObject({
      generated: 'stored',
      invisible: true,
    });
    expect(parseColumnExtra('auto_increment')).toMatchObject({ autoIncrement: true, other: null });
    expect(parseColumnExtra('ROW START INVISIBLE')).toMatchObject({ invisible: true, other: 'ROW START' });
  });
});

describeEachEngine(
  'MysqlSnapshotter',
  (engine) => {
    it('records every kind of object', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, ...fullSchemaOn(engine));
      const snapshot = await take(tw.db);

      expect(snapshot.dialect).toBe('mysql');
      expect(object(snapshot, 'table:users').attributes).toEqual({
        collation: expect.any(String),
        comment: 'people',
        createOptions: null,
        engine: 'InnoDB',
        partitionBy: null,
        partitions: null,
        rowFormat: 'DYNAMIC',
        systemVersioned: false,
      });
      expect(object(snapshot, 'table:posts').attributes['rowFormat']).toBeNull();
      expect(object(snapshot, 'table:ledger').attributes).toMatchObject({
        partitionBy: 'RANGE (`id`)',
        partitions: 'p0 (100), p1 (MAXVALUE)',
      });
      expect(object(snapshot, 'column:users.name')).toMatchObject({
        table: 'users',
        attributes: {
          type: 'varchar(100)',
          charset: 'latin1',
          collation: 'latin1_swedish_ci',
          comment: 'display name',
          default: "'x''y'",
        },
      });
      // Collation is recorded only where it differs from the table's.
      expect(object(snapshot, 'column:users.email').attributes).toMatchObject({
        charset: null,
        collation: null,
      });
      expect(object(snapshot, 'column:users.upper_email').attributes).toMatchObject({
        generated: 'stored',
        // MariaDB writes upper() under its other name, ucase().
        generationExpression: 'upper(`email`)',
      });
      expect(object(snapshot, 'column:users.created_at').attributes).toMatchObject({
        default: 'current_timestamp()',
        onUpdate: 'current_timestamp()',
      });
      expect(object(snapshot, 'column:users.score').attributes['default']).toBe('1.50');
      expect(object(snapshot, 'column:users.id').attributes).toMatchObject({
        type: 'int unsigned',
        nullable: false,
        autoIncrement: true,
        srid: null,
      });
      if (isOracleMysql(engine)) expectMysqlKinds(snapshot);
      else expectMariadbKinds(snapshot);
      expect(object(snapshot, 'index:users/PRIMARY').attributes).toMatchObject({
        primary: true,
        unique: true,
      });
      expect(object(snapshot, 'index:users/uq_users_email').attributes).toMatchObject({
        primary: false,
        unique: true,
        columns: 'email',
      });
      expect(object(snapshot, 'index:posts/ft_posts_body').attributes).toMatchObject({ type: 'FULLTEXT' });
      expect(object(snapshot, 'constraint:posts/fk_posts_user').attributes).toEqual({
        type: 'FOREIGN KEY',
        columns: 'user_id',
        referencedTable: 'users',
        referencedColumns: 'id',
        onUpdate: 'RESTRICT',
        onDelete: 'CASCADE',
      });
      expect(object(snapshot, 'view:live_posts').attributes).toEqual({
        algorithm: 'MERGE',
        checkOption: 'CASCADED',
        securityType: 'INVOKER',
        definition: expect.stringContaining('from (`posts` `p` join `users` `u`'),
      });
      expect(object(snapshot, 'function:post_count').attributes).toEqual({
        params: 'IN uid int unsigned',
        returns: 'int',
        body: 'begin return (select count(*) from posts where user_id = uid); end',
        deterministic: true,
        dataAccess: 'READS SQL DATA',
        security: 'DEFINER',
        comment: null,
      });
      expect(object(snapshot, 'procedure:publish').attributes).toMatchObject({
        params: 'IN pid bigint, OUT done varchar(10)',
        returns: null,
        deterministic: false,
        dataAccess: 'MODIFIES SQL DATA',
        security: 'INVOKER',
      });
      expect(object(snapshot, 'trigger:posts/trg_posts_upper')).toMatchObject({
        table: 'posts',
        attributes: {
          timing: 'BEFORE',
          event: 'INSERT',
          order: 2,
          statement: 'set new.title = upper(new.title)',
        },
      });
      expect(object(snapshot, 'trigger:posts/trg_posts_trim').attributes['order']).toBe(1);
      expect(object(snapshot, 'event:purge_drafts').attributes).toEqual({
        type: 'RECURRING',
        every: '1 DAY',
        status: 'DISABLED',
        onCompletion: 'NOT PRESERVE',
        body: "delete from posts where status = 'draft'",
        comment: null,
      });
      // Views and sequences are not tables, and their columns are not recorded.
      expect(
        Object.keys(snapshot.objects).filter((key) => /^(table|column):(live_posts|ticket_seq)/.test(key)),
      ).toEqual([]);
    });

    it('gives byte-identical snapshots for the same schema built in another database', async () => {
      await using first = await openTestThrowaway(engine);
      await using second = await openTestThrowaway(engine);
      await run(first.db, ...fullSchemaOn(engine));
      await run(second.db, ...fullSchemaOn(engine));
      const [a, b] = [await take(first.db), await take(second.db)];
      const names = [first, second].map((tw) => /scratch database (\S+)/.exec(tw.description)?.[1]);

      expect(names[0]).not.toBe(names[1]);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      for (const name of names) expect(JSON.stringify(a)).not.toContain(String(name));
    });

    it('gives byte-identical snapshots when nothing changed', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, ...fullSchemaOn(engine));

      expect(JSON.stringify(await take(tw.db))).toBe(JSON.stringify(await take(tw.db)));
    });

    it('ignores AUTO_INCREMENT counters, row counts and sequence values', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, ...fullSchemaOn(engine));
      const before = await take(tw.db);
      await run(
        tw.db,
        "insert into users (email) values ('a@example.com'), ('b@example.com')",
        "insert into posts (user_id, title) values (1, 'hello')",
        'insert into ledger (id) values (1), (500)',
        'analyze table users, posts, ledger',
        ...(isOracleMysql(engine)
          ? ["insert into gadgets (id, sku, spot) values (1, 'a', st_srid(point(1, 1), 4326))"]
          : ['select nextval(ticket_seq)', 'select setval(ticket_seq, 500)']),
      );

      expect(JSON.stringify(await take(tw.db))).toBe(JSON.stringify(before));
    });

    it('keeps column position out of the verdict', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, "create table t (a int, b varchar(10) not null default 'x', c int)");
      const before = await take(tw.db);
      // What a down typically does: re-add the dropped column, at the end.
      await run(
        tw.db,
        'alter table t drop column b',
        "alter table t add column b varchar(10) not null default 'x'",
      );
      const after = await take(tw.db);

      expect(verdict(after)).toEqual(verdict(before));
      expect(object(before, 'column:t.b').notes).toEqual({ position: 2 });
      expect(object(after, 'column:t.b').notes).toEqual({ position: 3 });
    });

    it("records a foreign key's ON DELETE action", async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        'create table parent (id int primary key)',
        'create table child (id int primary key, parent_id int, constraint fk_child_parent foreign key (parent_id) references parent (id))',
      );
      const before = object(await take(tw.db), 'constraint:child/fk_child_parent');
      await run(
        tw.db,
        'alter table child drop foreign key fk_child_parent',
        'alter table child add constraint fk_child_parent foreign key (parent_id) references parent (id) on delete set null',
      );
      const after = object(await take(tw.db), 'constraint:child/fk_child_parent');

      expect(before.attributes['onDelete']).toBe('RESTRICT');
      expect(after.attributes['onDelete']).toBe('SET NULL');
      expect(after.attributes['onUpdate']).toBe('RESTRICT');
    });

    it('records the index backing a foreign key as an index, once', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        'create table parent (id int primary key)',
        'create table child (id int primary key, parent_id int, constraint fk_child_parent foreign key (parent_id) references parent (id))',
      );
      const snapshot = await take(tw.db);
      const keys = Object.keys(snapshot.objects).filter((key) => key.endsWith('/fk_child_parent'));

      expect(keys).toEqual(['constraint:child/fk_child_parent', 'index:child/fk_child_parent']);
      expect(object(snapshot, 'index:child/fk_child_parent').attributes).toMatchObject({
        unique: false,
        columns: 'parent_id',
      });
    });

    it('records prefix lengths and index order', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        'create table t (a varchar(100), b int, c varchar(50), key idx_t (a(10), b desc, c))',
        'create table m (id int, key idx_m (id) using hash) engine=memory',
      );
      const first = await take(tw.db);
      await run(tw.db, 'alter table t drop index idx_t', 'alter table t add index idx_t (a(12), b, c)');
      const second = await take(tw.db);

      expect(object(first, 'index:t/idx_t').attributes).toEqual({
        primary: false,
        unique: false,
        type: 'BTREE',
        columns: 'a(10), b DESC, c',
        comment: null,
        visible: true,
      });
      expect(object(second, 'index:t/idx_t').attributes['columns']).toBe('a(12), b, c');
      expect(object(first, 'index:m/idx_m').attributes['type']).toBe('HASH');
    });

    it('records check constraints', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        'create table t (qty int check (qty >= 0), price int, constraint chk_price check (price < 1000))',
      );
      const snapshot = await take(tw.db);

      expect(object(snapshot, 'constraint:t/chk_price')).toMatchObject({
        table: 't',
        attributes: { type: 'CHECK', clause: '`price` < 1000', level: 'table', enforced: true },
      });
      // A column-level check on MariaDB is named after its column; MySQL makes it a table's
      // check named after the table.
      expect(
        object(snapshot, isOracleMysql(engine) ? 'constraint:t/t_chk_1' : 'constraint:t/qty').attributes,
      ).toMatchObject({
        clause: '`qty` >= 0',
        level: isOracleMysql(engine) ? 'table' : 'column',
      });
      await run(tw.db, 'alter table t drop constraint chk_price');
      expect((await take(tw.db)).objects['constraint:t/chk_price']).toBeUndefined();
    });

    it("records a column's default and ON UPDATE", async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        `create table t (
           plain int,
           nullable_default int default null,
           counted int not null default 0,
           label varchar(20) default 'new',
           touched datetime(3) not null default current_timestamp(3) on update current_timestamp(3)
         )`,
      );
      const snapshot = await take(tw.db);
      const attributes = (column: string) => object(snapshot, `column:t.${column}`).attributes;

      // No default and DEFAULT NULL insert the same thing: both are recorded as null.
      expect(attributes('plain')['default']).toBeNull();
      expect(attributes('nullable_default')['default']).toBeNull();
      expect(attributes('counted')).toMatchObject({ default: '0', nullable: false });
      expect(attributes('label')['default']).toBe("'new'");
      expect(attributes('touched')).toMatchObject({
        type: 'datetime(3)',
        default: 'current_timestamp(3)',
        onUpdate: 'current_timestamp(3)',
      });

      await run(tw.db, 'alter table t modify touched datetime(3) not null default current_timestamp(3)');
      expect(object(await take(tw.db), 'column:t.touched').attributes['onUpdate']).toBeNull();
    });

    it("records a view's options and a routine's characteristics", async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        'create table t (id int)',
        'create view v as select id from t',
        'create function f(x int) returns int no sql return x + 1',
      );
      const before = await take(tw.db);
      await run(
        tw.db,
        'create or replace algorithm=temptable sql security invoker view v as select id from t',
        'drop function f',
        'create function f(x int) returns int deterministic no sql return x + 1',
      );
      const after = await take(tw.db);

      expect(object(before, 'view:v').attributes).toMatchObject({
        algorithm: 'UNDEFINED',
        securityType: 'DEFINER',
      });
      expect(object(after, 'view:v').attributes).toMatchObject({
        algorithm: 'TEMPTABLE',
        securityType: 'INVOKER',
      });
      expect(object(before, 'function:f').attributes).toMatchObject({
        deterministic: false,
        dataAccess: 'NO SQL',
      });
      expect(object(after, 'function:f').attributes['deterministic']).toBe(true);
    });

    it('leaves out excluded tables and what belongs to them', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        "create table kysely_migration (name varchar(255) primary key, ts varchar(50) not null, check (ts <> ''))",
        'create index idx_kysely_migration_ts on kysely_migration (ts)',
        'create trigger trg_kysely_migration before insert on kysely_migration for each row set new.ts = trim(new.ts)',
        'create table kysely_migration_lock (id varchar(255) primary key, is_locked int not null default 0)',
        'create table posts (id int primary key)',
      );
      const snapshot = await take(tw.db, ['kysely_migration', 'kysely_migration_lock']);

      expect(Object.keys(snapshot.objects)).toEqual([
        'column:posts.id',
        'index:posts/PRIMARY',
        'table:posts',
      ]);
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'mysql'),
);
