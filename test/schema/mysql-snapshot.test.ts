import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  mysqlFlavorOf,
  normalizeColumnDefault,
  parseColumnExtra,
  stripDatabaseQualifier,
} from '../../src/core/parts/schema/mysql-catalog-values.ts';
import { MysqlSnapshotter } from '../../src/core/parts/schema/mysql-snapshot.ts';
import type { SchemaObject, SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';

const snapshotter = new MysqlSnapshotter();

function take(db: Kysely<any>, excludeTables: readonly string[] = []): Promise<SchemaSnapshot> {
  return snapshotter.take(db, { excludeTables });
}

/** Runs statements one by one: routine bodies contain semicolons. */
async function run(db: Kysely<any>, ...statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
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
  'create sequence ticket_seq start with 5 increment by 2 maxvalue 1000 cycle',
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

  it('normalizes defaults within each flavor', () => {
    expect(normalizeColumnDefault('mariadb', 'NULL', '')).toBeNull();
    expect(normalizeColumnDefault('mariadb', "'a'", '')).toBe("'a'");
    expect(normalizeColumnDefault('mariadb', 'current_timestamp()', '')).toBe('current_timestamp()');
    // MySQL 8 leaves literals unquoted and flags expressions in EXTRA.
    expect(normalizeColumnDefault('mysql', "it's", '')).toBe("'it''s'");
    expect(normalizeColumnDefault('mysql', 'CURRENT_TIMESTAMP', 'DEFAULT_GENERATED')).toBe(
      'CURRENT_TIMESTAMP',
    );
    expect(normalizeColumnDefault('mysql', null, '')).toBeNull();
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
      onUpdate: 'CURRENT_TIMESTAMP(3)',
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
      await run(tw.db, ...FULL_SCHEMA);
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
        generationExpression: 'ucase(`email`)',
      });
      expect(object(snapshot, 'column:users.id').attributes).toMatchObject({
        type: 'int(10) unsigned',
        nullable: false,
        autoIncrement: true,
      });
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
        params: 'IN uid int(10) unsigned',
        returns: 'int(11)',
        body: 'begin return (select count(*) from posts where user_id = uid); end',
        deterministic: true,
        dataAccess: 'READS SQL DATA',
        security: 'DEFINER',
        comment: null,
      });
      expect(object(snapshot, 'procedure:publish').attributes).toMatchObject({
        params: 'IN pid bigint(20), OUT done varchar(10)',
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
      await run(first.db, ...FULL_SCHEMA);
      await run(second.db, ...FULL_SCHEMA);
      const [a, b] = [await take(first.db), await take(second.db)];
      const names = [first, second].map((tw) => /scratch database (\S+)/.exec(tw.description)?.[1]);

      expect(names[0]).not.toBe(names[1]);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      for (const name of names) expect(JSON.stringify(a)).not.toContain(String(name));
    });

    it('gives byte-identical snapshots when nothing changed', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, ...FULL_SCHEMA);

      expect(JSON.stringify(await take(tw.db))).toBe(JSON.stringify(await take(tw.db)));
    });

    it('ignores AUTO_INCREMENT counters, row counts and sequence values', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, ...FULL_SCHEMA);
      const before = await take(tw.db);
      await run(
        tw.db,
        "insert into users (email) values ('a@example.com'), ('b@example.com')",
        "insert into posts (user_id, title) values (1, 'hello')",
        'insert into ledger (id) values (1), (500)',
        'analyze table users, posts, ledger',
        'select nextval(ticket_seq)',
        'select setval(ticket_seq, 500)',
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
      // A column-level check on MariaDB is named after its column.
      expect(object(snapshot, 'constraint:t/qty').attributes).toMatchObject({
        clause: '`qty` >= 0',
        level: 'column',
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
