import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChangeRead, ChangeScope } from '../../src/core/parts/schema/change-scope.ts';
import { everyOwnerOfKind, mergeSnapshot } from '../../src/core/parts/schema/change-scope.ts';
import { PostgresChangeTracker } from '../../src/core/parts/schema/postgres-change-tracker.ts';
import { PostgresSnapshotter } from '../../src/core/parts/schema/postgres-snapshot.ts';
import type { SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import type { SnapshotOptions } from '../../src/core/parts/schema/snapshotter.ts';
import { parseConnectionUrl, withDatabase } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';
import {
  AVAILABLE_ENGINES,
  POSTGRES_URL,
  describeEachEngine,
  dialectOf,
  openTestThrowaway,
} from '../support/engines.ts';

const POSTGRES_ENGINES = AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres');

/** The schema the steps start from: objects of every kind, linked to one another. */
const BASE = `
  create schema audit;
  create sequence audit.ticket_seq;
  create table audit.log (id bigserial primary key, message text);
  create function audit.stamp() returns text language sql as $$ select 'x' $$;
  create type post_status as enum ('draft', 'published');
  create table users (id serial primary key, email text not null);
  create table posts (
    id serial primary key,
    author_id int references users (id),
    title text not null,
    status post_status not null default 'draft',
    audit_id bigint references audit.log (id)
  );
  create index idx_posts_status on posts (status) where status <> 'draft';
  create view user_emails as select id, email from users;
  create function user_label(u users) returns text language sql as $$ select u.email $$;
  create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
  create function on_ddl_start() returns event_trigger language plpgsql as $$ begin end $$;
  create table comments (id serial primary key, body text);
  create table events (id int, at date not null) partition by range (at);
  create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
`;

interface Step {
  /** What the step does, as the test name says it. */
  readonly does: string;
  readonly sql: string;
  /** Owners the scope must contain (besides every event trigger). */
  readonly touches?: readonly string[];
  /** The exact owners, when the point is what is left out. */
  readonly exactly?: readonly string[];
}

const EVENTS = everyOwnerOfKind('event');

/** DDL steps run one after another, each against the schema the earlier ones left. */
const STEPS: readonly Step[] = [
  {
    does: 'creates a table',
    sql: 'create table tags (id serial primary key, label text not null)',
    touches: ['relation:tags', 'relation:tags_id_seq'],
  },
  { does: 'adds a column', sql: 'alter table posts add column summary text', touches: ['relation:posts'] },
  { does: 'drops a column', sql: 'alter table posts drop column summary', touches: ['relation:posts'] },
  {
    // The foreign key on posts and the view print the column's name.
    does: 'renames a column a foreign key and a view refer to',
    sql: 'alter table users rename column id to user_id',
    touches: ['relation:users', 'relation:posts', 'relation:user_emails', 'relation:users_id_seq'],
  },
  {
    does: 'renames a table',
    sql: 'alter table tags rename to labels',
    touches: ['relation:tags', 'relation:labels', 'relation:tags_id_seq'],
  },
  {
    does: 'adds a foreign key',
    sql: 'alter table posts add column label_id int, add constraint posts_label_fk foreign key (label_id) references labels (id)',
    touches: ['relation:posts'],
  },
  {
    does: 'creates an index',
    sql: 'create index idx_posts_title on posts (title)',
    touches: ['relation:posts'],
  },
  { does: 'drops an index', sql: 'drop index idx_posts_title', touches: ['relation:posts'] },
  {
    does: 'creates an index concurrently (outside a transaction)',
    sql: 'create index concurrently idx_posts_label on posts (label_id)',
    touches: ['relation:posts'],
  },
  {
    does: 'adds a value to an enum',
    sql: "alter type post_status add value 'archived'",
    touches: ['type:post_status'],
  },
  {
    // The column default and the index predicate print the label.
    does: 'renames an enum value used in a default and an index predicate',
    sql: "alter type post_status rename value 'draft' to 'sketch'",
    touches: ['type:post_status', 'relation:posts'],
  },
  {
    does: 'creates a function',
    sql: 'create function word_count(t text) returns int language sql immutable as $$ select 1 $$',
    exactly: [EVENTS, 'function:word_count(text)'],
  },
  {
    does: 'replaces a function',
    sql: 'create or replace function word_count(t text) returns int language sql immutable as $$ select 2 $$',
    exactly: [EVENTS, 'function:word_count(text)'],
  },
  {
    does: 'drops a function',
    sql: 'drop function word_count(text)',
    exactly: [EVENTS, 'function:word_count(text)'],
  },
  {
    does: 'creates a view',
    sql: 'create view recent_posts as select id, title from posts',
    touches: ['relation:recent_posts'],
  },
  {
    does: 'creates a trigger',
    sql: 'create trigger posts_touch before update on posts for each row execute function touch()',
    touches: ['relation:posts'],
  },
  {
    does: 'renames the function a trigger calls',
    sql: 'alter function touch() rename to touch_row',
    touches: ['function:touch()', 'function:touch_row()', 'relation:posts'],
  },
  {
    does: 'comments on a column',
    sql: "comment on column posts.title is 'headline'",
    touches: ['relation:posts'],
  },
  {
    does: 'creates an event trigger',
    sql: 'create event trigger watch_ddl on ddl_command_start execute function on_ddl_start()',
    exactly: [EVENTS],
  },
  {
    does: 'alters a sequence',
    sql: 'alter sequence audit.ticket_seq increment by 5 cache 10',
    exactly: [EVENTS, 'relation:audit.ticket_seq'],
  },
  {
    does: 'only writes data',
    sql: "insert into users (email) values ('a@example.com'); select nextval('audit.ticket_seq')",
    exactly: [EVENTS],
  },
  {
    does: 'drops a table with CASCADE, which drops a foreign key on another table',
    sql: 'drop table labels cascade',
    touches: ['relation:labels', 'relation:tags_id_seq', 'relation:posts'],
  },
  {
    // user_label(users) becomes user_label(members): a function is keyed by its argument types.
    does: 'renames a table whose row type a function takes',
    sql: 'alter table users rename to members',
    touches: [
      'relation:users',
      'relation:members',
      'function:user_label(users)',
      'function:user_label(members)',
    ],
  },
  {
    does: 'renames a type columns use',
    sql: 'alter type post_status rename to post_state',
    touches: ['type:post_status', 'type:post_state', 'relation:posts'],
  },
  {
    does: 'moves a table with a serial column to another schema',
    sql: 'create schema archive; alter table comments set schema archive',
    touches: [
      'relation:comments',
      'relation:archive.comments',
      'relation:comments_id_seq',
      'relation:archive.comments_id_seq',
    ],
  },
  {
    does: 'adds a column to a partitioned table, which reaches its partitions',
    sql: 'alter table events add column kind text',
    touches: ['relation:events', 'relation:events_2024'],
  },
  {
    // Only the parent is reported; the partition is found in the snapshot from before.
    does: 'detaches a partition',
    sql: 'alter table events detach partition events_2024',
    touches: ['relation:events', 'relation:events_2024'],
  },
  {
    does: 'attaches a partition',
    sql: "alter table events attach partition events_2024 for values from ('2024-01-01') to ('2025-01-01')",
    touches: ['relation:events', 'relation:events_2024'],
  },
  {
    does: 'creates a domain and adds a constraint to it',
    sql: 'create domain positive as int; alter domain positive add constraint positive_check check (value > 0)',
    exactly: [EVENTS, 'type:positive'],
  },
  {
    does: 'creates and drops a procedure',
    sql: 'create procedure noop() language sql as $$ select 1 $$; drop procedure noop()',
    exactly: [EVENTS, 'procedure:noop()'],
  },
  {
    does: 'creates an extension',
    sql: 'create extension citext',
    touches: ['extension:citext'],
  },
  {
    does: 'uses an extension type and drops the extension with CASCADE',
    sql: 'alter table posts add column tag citext; drop extension citext cascade',
    touches: ['extension:citext', 'relation:posts'],
  },
  {
    does: 'drops a schema with CASCADE, which drops a foreign key on another table',
    sql: 'drop schema audit cascade',
    touches: [
      'schema:audit',
      'relation:audit.log',
      'relation:audit.ticket_seq',
      'function:audit.stamp()',
      'relation:posts',
    ],
  },
];

const snapshotter = new PostgresSnapshotter();

function fullSnapshot(db: Kysely<any>): Promise<SchemaSnapshot> {
  return snapshotter.take(db, { excludeTables: [] });
}

/** The snapshot after a step as the proof builds it: a scoped re-read merged into the one before. */
async function snapshotAfter(
  db: Kysely<any>,
  before: SchemaSnapshot,
  scope: ChangeScope,
): Promise<SchemaSnapshot> {
  if (scope.everything) return fullSnapshot(db);
  const reread = await snapshotter.take(db, { excludeTables: [], owners: scope.owners });
  return mergeSnapshot(before, reread, scope.owners);
}

/** Runs a step as the proof does: tracker started, step run, its changes asked for. */
async function trackStep(
  tracker: PostgresChangeTracker,
  db: Kysely<any>,
  step: string,
): Promise<{ before: SchemaSnapshot; scope: ChangeScope }> {
  const before = await fullSnapshot(db);
  await tracker.start(db);
  await sql.raw(step).execute(db);
  return { before, scope: await tracker.changes(db, before) };
}

function ownersOf(scope: ChangeScope): string[] {
  if (scope.everything) throw new Error(`expected owners, got everything: ${scope.reason}`);
  return [...scope.owners].sort();
}

describeEachEngine(
  'PostgresChangeTracker',
  (engine) => {
    let tw: ThrowawayDatabase;
    const tracker = new PostgresChangeTracker();

    beforeAll(async () => {
      tw = await openTestThrowaway(engine, ['citext']);
      expect(await tracker.install(tw.db)).toBe(true);
      await sql.raw(BASE).execute(tw.db);
    });
    afterAll(async () => {
      await tw?.[Symbol.asyncDispose]();
    });

    for (const step of STEPS) {
      it(`after a step that ${step.does}, the re-read owners merged into the snapshot before give the full snapshot`, async () => {
        const { before, scope } = await trackStep(tracker, tw.db, step.sql);

        const owners = ownersOf(scope);
        expect(owners).toContain(EVENTS);
        if (step.touches !== undefined) expect(owners).toEqual(expect.arrayContaining([...step.touches]));
        if (step.exactly !== undefined) expect(owners).toEqual([...step.exactly].sort());
        expect(await snapshotAfter(tw.db, before, scope)).toEqual(await fullSnapshot(tw.db));
      });
    }

    it('reports nothing but event triggers for a step whose transaction rolled back', async () => {
      const { scope } = await trackStep(
        tracker,
        tw.db,
        'begin; create table scratch (id int); alter table posts add column x int; rollback',
      );

      expect(ownersOf(scope)).toEqual([EVENTS]);
    });

    it('asks for a full snapshot after a schema is renamed, which renames all in it unreported', async () => {
      const { scope } = await trackStep(
        tracker,
        tw.db,
        'create schema staging; create table staging.t (id int); alter schema staging rename to staged',
      );

      expect(scope).toEqual({ everything: true, reason: expect.stringContaining('ALTER SCHEMA') });
      // The rename is remembered: the next step's drops are traced to the new names.
      const next = await trackStep(tracker, tw.db, 'drop table staged.t');
      expect(ownersOf(next.scope)).toContain('relation:staged.t');
      expect(await snapshotAfter(tw.db, next.before, next.scope)).toEqual(await fullSnapshot(tw.db));
    });

    it('asks for a full snapshot when a step disabled its event triggers', async () => {
      const { scope } = await trackStep(tracker, tw.db, 'alter event trigger migration_gate_ddl disable');

      expect(scope.everything).toBe(true);
      await sql`alter event trigger migration_gate_ddl enable always`.execute(tw.db);
    });

    it('installs again on a new database after a reset, and again on the same one', async () => {
      await tw.reset();
      expect(await tracker.install(tw.db)).toBe(true);
      expect(await tracker.install(tw.db)).toBe(true);

      const { before, scope } = await trackStep(tracker, tw.db, 'create table fresh (id int primary key)');
      expect(ownersOf(scope)).toEqual([EVENTS, 'relation:fresh']);
      expect(await snapshotAfter(tw.db, before, scope)).toEqual(await fullSnapshot(tw.db));
    });
  },
  POSTGRES_ENGINES,
);

/** A snapshotter that counts the reads the tracker leaves to it. */
class CountingSnapshotter extends PostgresSnapshotter {
  takes = 0;
  override take(db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot> {
    this.takes += 1;
    return super.take(db, options);
  }
}

describeEachEngine(
  'PostgresChangeTracker.changesWithSnapshot',
  (engine) => {
    let tw: ThrowawayDatabase;
    const tracker = new PostgresChangeTracker();
    const counting = new CountingSnapshotter();

    beforeAll(async () => {
      tw = await openTestThrowaway(engine, ['citext']);
      expect(await tracker.install(tw.db)).toBe(true);
      await sql.raw(BASE).execute(tw.db);
    });
    afterAll(async () => {
      await tw?.[Symbol.asyncDispose]();
    });

    /** Runs a step as the proof does, re-reading with the log in one call. */
    async function readStep(step: string): Promise<{ before: SchemaSnapshot; read: ChangeRead }> {
      const before = await fullSnapshot(tw.db);
      await tracker.start(tw.db);
      await sql.raw(step).execute(tw.db);
      return {
        before,
        read: await tracker.changesWithSnapshot(tw.db, before, counting, { excludeTables: [] }),
      };
    }

    function merged(before: SchemaSnapshot, read: ChangeRead): SchemaSnapshot {
      if (read.everything) throw new Error(`expected owners, got everything: ${read.reason}`);
      return mergeSnapshot(before, read.reread, read.owners);
    }

    for (const step of STEPS) {
      it(`after a step that ${step.does}, the re-read that came with the log merged into the snapshot before gives the full snapshot`, async () => {
        const { before, read } = await readStep(step.sql);

        if (read.everything) throw new Error(`expected owners, got everything: ${read.reason}`);
        if (step.touches !== undefined)
          expect([...read.owners]).toEqual(expect.arrayContaining([...step.touches]));
        expect(merged(before, read)).toEqual(await fullSnapshot(tw.db));
      });
    }

    it('re-reads a step that adds a column and drops an index it saw created in the same round trip', async () => {
      await readStep('create table t1 (id int, a text); create index t1_a on t1 (a)');
      counting.takes = 0;

      const { before, read } = await readStep('alter table t1 add column b int; drop index t1_a');

      expect(counting.takes).toBe(0);
      expect(merged(before, read)).toEqual(await fullSnapshot(tw.db));
    });

    it('reads the former partitions of a touched table, which only the snapshot before names', async () => {
      await readStep(
        'create table m (k int) partition by list (k); create table m1 partition of m for values in (1)',
      );
      counting.takes = 0;

      const { before, read } = await readStep('alter table m detach partition m1');

      expect(counting.takes).toBe(1);
      expect(merged(before, read)).toEqual(await fullSnapshot(tw.db));
    });

    it('asks for a full snapshot when a step disabled its event triggers', async () => {
      const { read } = await readStep('alter event trigger migration_gate_drop disable');

      expect(read.everything).toBe(true);
      await sql`alter event trigger migration_gate_drop enable always`.execute(tw.db);
    });
  },
  POSTGRES_ENGINES,
);

describeEachEngine(
  'PostgresChangeTracker without superuser',
  () => {
    it('declines to install for a user who may not create event triggers, leaving nothing behind', async () => {
      const server = parseConnectionUrl(POSTGRES_URL);
      const admin = await openDatabase(withDatabase(server, 'postgres'));
      const database = `mg_nosuper_${randomBytes(4).toString('hex')}`;
      try {
        // Concurrent runs may race to create the role; either one creating it is fine.
        await sql`do $$ begin
            create role mg_nosuper login createdb;
          exception when duplicate_object or unique_violation then null;
          end $$`.execute(admin.db);
        await sql`create database ${sql.id(database)} owner mg_nosuper`.execute(admin.db);
        const user = await openDatabase(
          parseConnectionUrl(`postgres://mg_nosuper@${new URL(POSTGRES_URL).host}/${database}`),
        );
        try {
          expect(await new PostgresChangeTracker().install(user.db)).toBe(false);
          const left = await sql<{ n: number }>`select count(*)::int as n from pg_namespace
            where nspname = 'migration_gate'`.execute(user.db);
          expect(left.rows[0]?.n).toBe(0);
        } finally {
          await user.db.destroy();
        }
      } finally {
        await sql`drop database if exists ${sql.id(database)} with (force)`.execute(admin.db);
        await admin.db.destroy();
      }
    });
  },
  // The machine's own server trusts any role, which the test logs in as without a password.
  AVAILABLE_ENGINES.filter((engine) => engine === 'postgres'),
);
