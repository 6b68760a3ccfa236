import { sql } from 'kysely';
import type { Kysely, LogEvent } from 'kysely';
import { expect, it } from 'vitest';
import { everyOwnerOfKind, ownedBy } from '../../src/core/parts/schema/change-scope.ts';
import { MysqlSnapshotter } from '../../src/core/parts/schema/mysql-snapshot.ts';
import type { SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { openThrowaway } from '../../src/core/parts/throwaway/open-throwaway.ts';
import type { TestEngine } from '../support/engine-list.ts';
import {
  AVAILABLE_ENGINES,
  describeEachEngine,
  dialectOf,
  isOracleMysql,
  serverUrlOf,
} from '../support/engines.ts';

const EXCLUDED = ['kysely_migration'];

/** One object of every kind, cross-referencing, with a mixed-case table and an excluded one. */
const EVERY_KIND = [
  `create table users (
     id int unsigned auto_increment primary key,
     email varchar(200) not null,
     name varchar(100) character set latin1 collate latin1_swedish_ci default 'x' comment 'display name',
     score decimal(5,2) default 1.50,
     unique key uq_users_email (email),
     constraint chk_users_score check (score >= 0)
   ) comment='people'`,
  `create table posts (
     id bigint auto_increment primary key,
     user_id int unsigned not null,
     title varchar(255) not null check (title <> ''),
     status enum('draft','live') default 'draft',
     key idx_posts_status_title (status desc, title(20)),
     constraint fk_posts_user foreign key (user_id) references users (id) on delete cascade
   )`,
  `create table comments (
     id int primary key,
     post_id bigint,
     constraint fk_comments_post foreign key (post_id) references posts (id)
   )`,
  'create table MixedCase (id int primary key)',
  `create table ledger (id int not null, primary key (id)) partition by range (id)
     (partition p0 values less than (100), partition p1 values less than maxvalue)`,
  'create table kysely_migration (name varchar(255) primary key)',
  'create trigger kysely_migration_trg before insert on kysely_migration for each row set new.name = trim(new.name)',
  `create view live_posts as
     select p.title, u.email from posts p join users u on u.id = p.user_id where p.status = 'live'`,
  `create function post_count(uid int unsigned) returns int deterministic reads sql data
     begin return (select count(*) from posts where user_id = uid); end`,
  `create procedure publish(in pid bigint, out done varchar(10)) modifies sql data
     begin update posts set status = 'live' where id = pid; set done = 'ok'; end`,
  // A function and a procedure may share a name; each is its own owner.
  'create procedure post_count(in uid int) select uid',
  'create trigger trg_posts_trim before insert on posts for each row set new.title = trim(new.title)',
  `create trigger trg_posts_upper before insert on posts for each row follows trg_posts_trim
     set new.title = upper(new.title)`,
  "create event purge_drafts on schedule every 1 day disable do delete from posts where status = 'draft'",
  'create event tidy on schedule every 1 hour disable do delete from comments',
];

/** Each flavor's own kinds: MariaDB's sequence; MySQL's functional index and unenforced check. */
function everyKindOn(engine: TestEngine): readonly string[] {
  return [
    ...EVERY_KIND,
    isOracleMysql(engine)
      ? `create table gadgets (id int primary key, sku varchar(20), secret int invisible,
           key idx_gadgets_lower_sku ((lower(sku))), constraint chk_gadgets_id check (id > 0) not enforced)`
      : 'create sequence ticket_seq start with 5 increment by 2 maxvalue 1000 cycle',
  ];
}

/** Owner sets covering each kind of owner, several at once, absent ones and every-of-kind keys. */
const OWNER_SETS: readonly (readonly string[])[] = [
  [],
  ['relation:users'],
  ['relation:posts'],
  ['relation:comments'],
  ['relation:MixedCase'],
  ['relation:mixedcase'],
  ['relation:ledger'],
  ['relation:ticket_seq'],
  ['relation:gadgets'],
  ['relation:live_posts'],
  ['relation:kysely_migration'],
  ['relation:no_such_table'],
  ['function:post_count'],
  ['procedure:post_count'],
  ['procedure:publish', 'event:tidy'],
  ['event:purge_drafts', 'function:no_such_function'],
  ['relation:users', 'relation:posts', 'relation:live_posts', 'relation:ticket_seq', 'function:post_count'],
  [everyOwnerOfKind('index')],
  [everyOwnerOfKind('constraint'), everyOwnerOfKind('trigger')],
  [everyOwnerOfKind('column'), 'relation:ledger'],
  [everyOwnerOfKind('table')],
  [everyOwnerOfKind('sequence')],
  [everyOwnerOfKind('view'), everyOwnerOfKind('function'), everyOwnerOfKind('event')],
  [everyOwnerOfKind('procedure'), 'relation:comments'],
];

/** The full snapshot cut down to the objects of `owners`: what a scoped read must return. */
function filtered(snapshot: SchemaSnapshot, owners: ReadonlySet<string>): SchemaSnapshot {
  return {
    dialect: snapshot.dialect,
    objects: Object.fromEntries(
      Object.entries(snapshot.objects).filter(([, object]) => ownedBy(object, owners)),
    ),
  };
}

/** A scratch database whose statements are counted, to show what a scoped read spares. */
async function openCounted(
  engine: TestEngine,
): Promise<{ db: Kysely<any>; queries: string[] } & AsyncDisposable> {
  const queries: string[] = [];
  const throwaway = await openThrowaway('server', {
    dialect: 'mysql',
    logger: silentLogger,
    serverUrl: serverUrlOf(engine)!,
    log: (event: LogEvent) => {
      queries.push(event.query.sql);
    },
  });
  return { db: throwaway.db, queries, [Symbol.asyncDispose]: () => throwaway[Symbol.asyncDispose]() };
}

describeEachEngine(
  'MysqlSnapshotter scoped to owners',
  (engine) => {
    it('returns exactly the objects of the owners that a full snapshot returns, for any owners', async () => {
      await using tw = await openCounted(engine);
      for (const statement of everyKindOn(engine)) await sql.raw(statement).execute(tw.db);
      const snapshotter = new MysqlSnapshotter();
      const full = await snapshotter.take(tw.db, { excludeTables: EXCLUDED });
      // The schema really holds every kind, so no owner set passes by being empty.
      expect(new Set(Object.values(full.objects).map((object) => object.kind))).toEqual(
        new Set([
          'table',
          'column',
          'index',
          'constraint',
          // MySQL has no sequences.
          ...(isOracleMysql(engine) ? [] : ['sequence']),
          'view',
          'function',
          'procedure',
          'trigger',
          'event',
        ]),
      );
      for (const keys of OWNER_SETS) {
        const owners = new Set(keys);
        const scoped = await snapshotter.take(tw.db, { excludeTables: EXCLUDED, owners });
        expect({ owners: keys, scoped }).toEqual({ owners: keys, scoped: filtered(full, owners) });
      }
    });

    it('finds nothing of an owner whose name differs only in case', async () => {
      await using tw = await openCounted(engine);
      await sql.raw('create procedure MyProc() select 1').execute(tw.db);
      const snapshotter = new MysqlSnapshotter();
      const scoped = await snapshotter.take(tw.db, {
        excludeTables: [],
        owners: new Set(['procedure:myproc']),
      });
      // Routine names compare without case in the catalog; the owner key is exact.
      expect(scoped.objects).toEqual({});
    });

    it('asks only about what the owners need', async () => {
      await using tw = await openCounted(engine);
      for (const statement of everyKindOn(engine)) await sql.raw(statement).execute(tw.db);
      const snapshotter = new MysqlSnapshotter();
      await snapshotter.take(tw.db, { excludeTables: EXCLUDED });
      const count = async (owners: readonly string[]): Promise<number> => {
        tw.queries.length = 0;
        await snapshotter.take(tw.db, { excludeTables: EXCLUDED, owners: new Set(owners) });
        return tw.queries.length;
      };
      // The server facts are cached: who am I, then the tables; a dropped table ends there.
      expect(await count(['relation:no_such_table'])).toBe(2);
      // A view needs only its own row in VIEWS; MySQL's has no ALGORITHM column, so there one
      // SHOW CREATE VIEW per view adds it.
      expect(await count(['relation:live_posts'])).toBe(isOracleMysql(engine) ? 4 : 3);
      // A table: columns, indexes, foreign keys, checks and triggers, but no partitions or views.
      expect(await count(['relation:users'])).toBe(7);
      // A routine: the routine and its parameters, no table queries at all.
      expect(await count(['function:post_count'])).toBe(3);
      expect(await count(['event:tidy'])).toBe(2);
    });

    it('probes the optional catalog columns once per server', async () => {
      await using tw = await openCounted(engine);
      const snapshotter = new MysqlSnapshotter();
      await snapshotter.take(tw.db, { excludeTables: [] });
      tw.queries.length = 0;
      await snapshotter.take(tw.db, { excludeTables: [] });
      expect(tw.queries.some((query) => query.includes("table_schema = 'information_schema'"))).toBe(false);
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'mysql'),
);
