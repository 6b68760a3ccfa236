import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { everyOwnerOfKind, ownedBy } from '../../src/core/parts/schema/change-scope.ts';
import { PostgresChangeTracker } from '../../src/core/parts/schema/postgres-change-tracker.ts';
import { PostgresSnapshotter } from '../../src/core/parts/schema/postgres-snapshot.ts';
import { buildSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import type { SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';

const POSTGRES_ENGINES = AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres');

/** One object of every kind a snapshot covers, in two schemas, with names that need care. */
const EVERY_KIND = `
  create extension citext;
  create schema audit;
  comment on schema audit is 'audit trail';
  create type post_status as enum ('draft', 'published', 'archived');
  create domain email as text check (value like '%@%');
  create type point2 as (x integer, y integer);
  create type float_range as range (subtype = float8);
  create table users (id bigint generated always as identity primary key, email email unique, nick citext);
  create table posts (
    id serial primary key,
    author_id bigint not null references users (id),
    title text not null default 'untitled',
    status post_status not null default 'draft'
  );
  comment on column posts.title is 'headline';
  create index idx_posts_status on posts (status) where status <> 'archived';
  create table events (id int, at date not null) partition by range (at);
  create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
  create index idx_events_at on events (at);
  create view published_posts as select id, title from posts where status = 'published';
  create materialized view post_counts as select author_id, count(*) as n from posts group by author_id;
  create unique index post_counts_author on post_counts (author_id);
  create sequence audit.ticket_seq;
  create table audit.log (id bigserial primary key, message text);
  create table audit.posts (id int primary key);
  create table "odd.name" (id int primary key);
  create function slugify(input text) returns text language sql immutable as $$ select lower(input) $$;
  create function slugify(input text, sep text) returns text language sql immutable
    as $$ select replace(lower(input), ' ', sep) $$;
  create function audit.slugify(input text) returns text language sql as $$ select input $$;
  create procedure audit.purge(days integer) language sql as $$ delete from audit.log $$;
  create function audit.log_change() returns trigger language plpgsql
    as $$ begin insert into audit.log (message) values (tg_op); return new; end $$;
  create trigger posts_audit after insert on posts for each row execute function audit.log_change();
  create function audit.on_ddl() returns event_trigger language plpgsql as $$ begin end $$;
  create event trigger ddl_watch on ddl_command_end execute function audit.on_ddl();
`;

const snapshotter = new PostgresSnapshotter();

function fullSnapshot(db: Kysely<any>, excludeTables: readonly string[] = []): Promise<SchemaSnapshot> {
  return snapshotter.take(db, { excludeTables });
}

/** What a scoped read must return: the full snapshot's objects of those owners, nothing else. */
function filtered(snapshot: SchemaSnapshot, owners: ReadonlySet<string>): SchemaSnapshot {
  return buildSnapshot(
    'postgres',
    Object.values(snapshot.objects).filter((object) => ownedBy(object, owners)),
  );
}

const OWNER_SETS: Readonly<Record<string, readonly string[]>> = {
  'a table': ['relation:posts'],
  'a type': ['type:post_status'],
  'a domain': ['type:email'],
  'a function overload': ['function:slugify(text)'],
  'a function in another schema': ['function:audit.slugify(text)'],
  'a procedure': ['procedure:audit.purge(integer)'],
  'a schema': ['schema:audit'],
  'an extension': ['extension:citext'],
  'a view': ['relation:published_posts'],
  'a materialized view': ['relation:post_counts'],
  'a sequence': ['relation:audit.ticket_seq'],
  "a table's serial sequence": ['relation:posts_id_seq'],
  'a table in another schema with a name also used in public': ['relation:audit.posts'],
  'a table whose name contains a dot': ['relation:odd.name'],
  'a partition and its parent': ['relation:events', 'relation:events_2024'],
  'every event trigger': [everyOwnerOfKind('event')],
  'every index (a kind wanted whole)': [everyOwnerOfKind('index')],
  'several owners of several kinds': [
    'relation:users',
    'type:point2',
    'function:slugify(text, text)',
    'event:*',
  ],
  'owners that do not exist': ['relation:nothing', 'type:nothing', 'function:nothing()', 'schema:nothing'],
  'no owner': [],
};

describeEachEngine(
  'PostgresSnapshotter with owners',
  (engine) => {
    it('reads exactly the objects of the given owners that a full snapshot holds', async () => {
      await using tw = await openTestThrowaway(engine, ['citext']);
      await sql.raw(EVERY_KIND).execute(tw.db);
      const full = await fullSnapshot(tw.db);

      for (const [label, keys] of Object.entries(OWNER_SETS)) {
        const owners = new Set(keys);
        const scoped = await snapshotter.take(tw.db, { excludeTables: [], owners });
        expect(scoped, label).toEqual(filtered(full, owners));
      }
      // The owner sets are not vacuous: each finds something, except the two meant to find nothing.
      for (const [label, keys] of Object.entries(OWNER_SETS)) {
        const found = Object.keys(filtered(full, new Set(keys)).objects).length;
        if (label === 'owners that do not exist' || label === 'no owner') expect(found, label).toBe(0);
        else expect(found, label).toBeGreaterThan(0);
      }
    });

    it('leaves out excluded tables in a scoped read as a full one does', async () => {
      await using tw = await openTestThrowaway(engine, ['citext']);
      await sql.raw(EVERY_KIND).execute(tw.db);
      const excludeTables = ['posts', 'audit.log'];
      const full = await fullSnapshot(tw.db, excludeTables);
      const owners = new Set([
        'relation:posts',
        'relation:posts_id_seq',
        'relation:audit.log',
        'relation:users',
      ]);

      const scoped = await snapshotter.take(tw.db, { excludeTables, owners });

      expect(scoped).toEqual(filtered(full, owners));
      expect(Object.keys(scoped.objects).some((key) => key.includes('posts'))).toBe(false);
    });

    it('reads in the caller transaction, seeing its uncommitted DDL', async () => {
      await using tw = await openTestThrowaway(engine);
      const owners = new Set(['relation:drafts']);
      const inside = await tw.db.transaction().execute(async (trx) => {
        await sql`create table drafts (id int primary key)`.execute(trx);
        return snapshotter.take(trx, { excludeTables: [], owners });
      });

      expect(Object.keys(inside.objects)).toEqual([
        'column:drafts.id',
        'constraint:drafts/drafts_pkey',
        'table:drafts',
      ]);
    });

    it("never shows the change tracker's own schema and event triggers", async () => {
      await using tw = await openTestThrowaway(engine, ['citext']);
      await sql.raw(EVERY_KIND).execute(tw.db);
      const untracked = await fullSnapshot(tw.db);

      expect(await new PostgresChangeTracker().install(tw.db)).toBe(true);
      const tracked = await fullSnapshot(tw.db);
      const trackerOwners = new Set(['schema:migration_gate', 'relation:migration_gate.touched', 'event:*']);
      const scoped = await snapshotter.take(tw.db, { excludeTables: [], owners: trackerOwners });

      expect(tracked).toEqual(untracked);
      expect(Object.keys(scoped.objects)).toEqual(['event:ddl_watch']);
    });
  },
  POSTGRES_ENGINES,
);
