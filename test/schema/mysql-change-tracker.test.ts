import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { ChangeScope } from '../../src/core/parts/schema/change-scope.ts';
import { mergeSnapshot } from '../../src/core/parts/schema/change-scope.ts';
import { MysqlChangeTracker } from '../../src/core/parts/schema/mysql-change-tracker.ts';
import { MysqlSnapshotter } from '../../src/core/parts/schema/mysql-snapshot.ts';
import type { SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { openThrowaway } from '../../src/core/parts/throwaway/open-throwaway.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';
import type { TestEngine } from '../support/engine-list.ts';
import {
  AVAILABLE_ENGINES,
  describeEachEngine,
  dialectOf,
  isOracleMysql,
  serverUrlOf,
} from '../support/engines.ts';

/** A throwaway database whose every statement the tracker observes. */
async function openTracked(
  engine: TestEngine,
): Promise<{ throwaway: ThrowawayDatabase; tracker: MysqlChangeTracker }> {
  const tracker = new MysqlChangeTracker();
  const throwaway = await openThrowaway('server', {
    dialect: 'mysql',
    logger: silentLogger,
    serverUrl: serverUrlOf(engine)!,
    log: (event) => tracker.observe(event.query.sql),
  });
  return { throwaway, tracker };
}

const EXCLUDED = ['kysely_migration'];

/** The schema every step starts from: each kind of object, with references between them. */
const BASE_SCHEMA: readonly string[] = [
  'create table kysely_migration (name varchar(255) primary key)',
  `create table users (
     id int unsigned auto_increment primary key,
     email varchar(200) not null,
     name varchar(100),
     score decimal(5,2) default 1.50,
     unique key uq_users_email (email),
     constraint chk_users_score check (score >= 0)
   )`,
  `create table posts (
     id bigint auto_increment primary key,
     user_id int unsigned not null,
     title varchar(255) not null,
     status enum('draft','live') default 'draft',
     key idx_posts_status_title (status, title(20)),
     constraint fk_posts_user foreign key (user_id) references users (id) on delete cascade
   )`,
  `create table comments (
     id int primary key,
     post_id bigint,
     constraint fk_comments_post foreign key (post_id) references posts (id)
   )`,
  "create view live_posts as select title from posts where status = 'live'",
  'create trigger trg_posts_trim before insert on posts for each row set new.title = trim(new.title)',
  `create trigger trg_posts_upper before insert on posts for each row follows trg_posts_trim
     set new.title = upper(new.title)`,
  `create function post_count(uid int unsigned) returns int deterministic reads sql data
     begin return (select count(*) from posts where user_id = uid); end`,
  `create procedure publish(in pid bigint) modifies sql data
     begin update posts set status = 'live' where id = pid; end`,
  'create procedure MyProc() select 1',
  "create event purge_drafts on schedule every 1 day disable do delete from posts where status = 'draft'",
];

/** The base schema on the engine: MariaDB adds a sequence, which MySQL does not have. */
function baseSchemaOn(engine: TestEngine): readonly string[] {
  return isOracleMysql(engine) ? BASE_SCHEMA : [...BASE_SCHEMA, 'create sequence ticket_seq start with 5'];
}

interface StepCase {
  readonly name: string;
  /** Statement texts run one by one (a text may hold several), or Kysely calls. */
  readonly step: readonly string[] | ((db: Kysely<any>) => Promise<unknown>);
  /** Owners the scope must name, so the case shows a scoped read rather than passing by luck. */
  readonly owners?: readonly string[];
  /** The step fails (the tracker still hears of it). */
  readonly fails?: boolean;
  readonly everything?: boolean;
  /** The one flavor whose syntax the step uses; both when absent. */
  readonly flavor?: 'mariadb' | 'mysql';
}

const STEPS: readonly StepCase[] = [
  {
    name: 'create a table',
    step: ['create table tags (id int primary key, name varchar(20) unique)'],
    owners: ['relation:tags'],
  },
  {
    name: 'add a column',
    step: ["alter table users add column nickname varchar(30) not null default ''"],
    owners: ['relation:users'],
  },
  { name: 'drop a column', step: ['alter table users drop column name'], owners: ['relation:users'] },
  {
    name: 'rename a referenced table with RENAME TABLE',
    step: ['rename table posts to articles'],
    // The foreign key of comments now names the new table.
    owners: ['relation:posts', 'relation:articles', 'relation:comments'],
  },
  {
    name: 'rename a referenced table with ALTER TABLE ... RENAME TO',
    step: ['alter table posts rename to articles'],
    owners: ['relation:posts', 'relation:articles', 'relation:comments'],
  },
  {
    name: 'rename a column another table references',
    step: ['alter table users rename column id to user_id'],
    owners: ['relation:users', 'relation:posts'],
  },
  {
    name: 'add a foreign key, with the index MySQL adds for it',
    step: [
      `alter table comments add column user_id int unsigned,
         add constraint fk_comments_user foreign key (user_id) references users (id)`,
    ],
    owners: ['relation:comments'],
  },
  {
    name: 'drop a foreign key',
    step: ['alter table posts drop foreign key fk_posts_user'],
    owners: ['relation:posts'],
  },
  {
    name: 'create an index',
    step: ['create index idx_posts_title on posts (title)'],
    owners: ['relation:posts'],
  },
  { name: 'drop an index', step: ['drop index idx_posts_status_title on posts'], owners: ['relation:posts'] },
  {
    name: 'drop a table another one referenced, after dropping the foreign key',
    step: ['alter table comments drop foreign key fk_comments_post', 'drop table posts'],
    owners: ['relation:comments', 'relation:posts'],
  },
  {
    name: 'create a view',
    step: ['create view user_emails as select email from users'],
    owners: ['relation:user_emails'],
  },
  { name: 'drop a view', step: ['drop view live_posts'], owners: ['relation:live_posts'] },
  {
    name: 'create a trigger',
    step: [
      'create trigger trg_users_email before insert on users for each row set new.email = lower(new.email)',
    ],
    owners: ['relation:users'],
  },
  {
    name: 'drop a trigger (its table comes from the snapshot before)',
    step: ['drop trigger trg_posts_trim'],
    owners: ['relation:posts'],
  },
  {
    name: 'create a trigger and drop it again',
    step: [
      'create trigger `Trg_Tmp` after delete on users for each row set @deleted = old.id',
      'drop trigger `Trg_Tmp`',
    ],
    owners: ['relation:users'],
  },
  {
    name: 'create a procedure',
    step: [
      `create procedure archive(in days int)
         begin
           declare n int default 0;
           if days > 0 then delete from posts where status = 'draft'; end if;
           select count(*) into n from posts;
         end`,
    ],
    owners: ['procedure:archive'],
  },
  { name: 'drop a procedure', step: ['drop procedure publish'], owners: ['procedure:publish'] },
  {
    name: 'drop a procedure named in another case',
    step: ['drop procedure myproc'],
    owners: ['procedure:MyProc'],
  },
  {
    name: 'create a function',
    step: ['create function add_one(x int) returns int deterministic begin return x + 1; end'],
    owners: ['function:add_one'],
  },
  { name: 'drop a function', step: ['drop function post_count'], owners: ['function:post_count'] },
  {
    name: 'create an event',
    step: ['create event nightly on schedule every 1 day disable do delete from comments'],
    owners: ['event:nightly'],
  },
  {
    name: 'alter an event and rename it',
    step: ["alter event purge_drafts rename to purge_old_drafts comment 'old drafts'"],
    owners: ['event:purge_drafts', 'event:purge_old_drafts'],
  },
  {
    name: 'create a MariaDB sequence',
    step: ['create sequence order_seq start with 100 increment by 10'],
    owners: ['relation:order_seq'],
    flavor: 'mariadb',
  },
  {
    name: 'alter a sequence',
    step: ['alter sequence ticket_seq maxvalue 5000'],
    owners: ['relation:ticket_seq'],
    flavor: 'mariadb',
  },
  {
    name: 'create a descending index',
    step: ['create index idx_posts_title_desc on posts (title desc, id)'],
    owners: ['relation:posts'],
  },
  {
    name: 'add a column with an expression default',
    // Not uuid(): with the binary log on, MySQL refuses to add a column whose default is not
    // deterministic to a table (rows would differ on a replica).
    step: ['alter table users add column tags json not null default (json_array())'],
    owners: ['relation:users'],
  },
  {
    name: 'create a functional index (MySQL)',
    step: ['create index idx_users_lower_email on users ((lower(email)))'],
    owners: ['relation:users'],
    flavor: 'mysql',
  },
  {
    name: 'make a column invisible (MySQL)',
    step: ['alter table users alter column name set invisible'],
    owners: ['relation:users'],
    flavor: 'mysql',
  },
  {
    name: 'add a check constraint MySQL does not enforce',
    step: ["alter table users add constraint chk_users_email check (email like '%@%') not enforced"],
    owners: ['relation:users'],
    flavor: 'mysql',
  },
  {
    name: 'stop enforcing a check constraint (MySQL)',
    step: ['alter table users alter check chk_users_score not enforced'],
    owners: ['relation:users'],
    flavor: 'mysql',
  },
  {
    name: "create a table with Kysely's schema builder",
    step: (db) =>
      db.schema
        .createTable('tags')
        .addColumn('id', 'integer', (column) => column.primaryKey())
        .addColumn('user_id', sql`int unsigned`, (column) => column.references('users.id'))
        .execute(),
    owners: ['relation:tags'],
  },
  {
    name: 'alter a table named with its database',
    step: async (db) => {
      const { rows } = await sql<{ name: string }>`select database() as name`.execute(db);
      await db.withSchema(rows[0]!.name).schema.alterTable('users').addColumn('bio', 'text').execute();
    },
    owners: ['relation:users'],
  },
  {
    name: 'run several statements in one text',
    step: [
      'create table a (id int primary key); create index idx_a on posts (title); insert into a values (1)',
    ],
    owners: ['relation:a', 'relation:posts'],
  },
  {
    name: 'run a statement that fails halfway',
    // MariaDB drops comments, then fails on the missing table.
    step: ['drop table comments, no_such_table'],
    fails: true,
    owners: ['relation:comments'],
  },
  {
    name: 'change only data',
    step: [
      "insert into users (email) values ('a@example.com')",
      "update users set name = 'A'",
      'select post_count(1)',
      'delete from users',
    ],
    owners: [],
  },
  { name: 'call a procedure', step: ['call publish(1)'], everything: true },
];

describeEachEngine(
  'MysqlChangeTracker',
  (engine) => {
    const flavor = isOracleMysql(engine) ? 'mysql' : 'mariadb';
    const steps = STEPS.filter((stepCase) => (stepCase.flavor ?? flavor) === flavor);
    it.each(steps)('re-reads only what the step touched: $name', async (stepCase) => {
      const { throwaway, tracker } = await openTracked(engine);
      await using _disposal = throwaway;
      const db = throwaway.db;
      for (const statement of baseSchemaOn(engine)) await sql.raw(statement).execute(db);
      const snapshotter = new MysqlSnapshotter();
      const before = await snapshotter.take(db, { excludeTables: EXCLUDED });
      expect(await tracker.install(db)).toBe(true);
      await tracker.start(db);

      const run = async (): Promise<void> => {
        if (typeof stepCase.step === 'function') await stepCase.step(db);
        else for (const statement of stepCase.step) await sql.raw(statement).execute(db);
      };
      if (stepCase.fails === true) await expect(run()).rejects.toThrow();
      else await run();

      const scope = await tracker.changes(db, before);
      const full = await snapshotter.take(db, { excludeTables: EXCLUDED });
      expect(await afterStep(snapshotter, db, before, scope, full)).toEqual(full);
      if (stepCase.everything === true) {
        expect(scope.everything).toBe(true);
      } else {
        expect(scope).toMatchObject({ everything: false });
        const owners = scope.everything ? [] : [...scope.owners];
        if (stepCase.owners?.length === 0) expect(owners).toEqual([]);
        expect(owners).toEqual(expect.arrayContaining([...(stepCase.owners ?? [])]));
      }
    });

    it('re-reads everything once an enabled event exists, if the event scheduler runs', async () => {
      const { throwaway, tracker } = await openTracked(engine);
      await using _disposal = throwaway;
      const db = throwaway.db;
      await sql.raw('create table a (id int)').execute(db);
      const before = await new MysqlSnapshotter().take(db, { excludeTables: [] });
      await tracker.start(db);
      // Enabled, but due only in a year: it cannot have run while the test looks.
      await sql
        .raw('create event later on schedule at current_timestamp + interval 1 year do drop table a')
        .execute(db);
      const { rows } = await sql<{ state: string }>`select @@global.event_scheduler as state`.execute(db);
      // MySQL 8+ runs the scheduler by default, MariaDB does not.
      const schedulerRuns = String(rows[0]?.state).toUpperCase() === 'ON';
      expect((await tracker.changes(db, before)).everything).toBe(schedulerRuns);
    });

    it('forgets at start what it observed before', async () => {
      const { throwaway, tracker } = await openTracked(engine);
      await using _disposal = throwaway;
      await sql.raw('create table a (id int)').execute(throwaway.db);
      const before = await new MysqlSnapshotter().take(throwaway.db, { excludeTables: [] });
      await tracker.start(throwaway.db);
      expect(await tracker.changes(throwaway.db, before)).toEqual({ everything: false, owners: new Set() });
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'mysql'),
);

/** The snapshot after the step as a proof computes it: merged from a scoped read, or full. */
async function afterStep(
  snapshotter: MysqlSnapshotter,
  db: Kysely<any>,
  before: SchemaSnapshot,
  scope: ChangeScope,
  full: SchemaSnapshot,
): Promise<SchemaSnapshot> {
  if (scope.everything) return full;
  const reread = await snapshotter.take(db, { excludeTables: EXCLUDED, owners: scope.owners });
  return mergeSnapshot(before, reread, scope.owners);
}
