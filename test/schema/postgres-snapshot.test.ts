import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { PostgresSnapshotter } from '../../src/core/parts/schema/postgres-snapshot.ts';
import type { AttributeValue, SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';

const POSTGRES_ENGINES = AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres');

/** One object of every kind the snapshot covers, in two schemas. */
const EVERY_KIND = `
  create extension citext;
  create schema audit;
  comment on schema audit is 'audit trail';
  create type post_status as enum ('draft', 'published', 'archived');
  create domain email as text collate "C" default 'nobody@example.com' not null check (value like '%@%');
  create type point2 as (x integer, y integer);
  create type float_range as range (subtype = float8, subtype_diff = float8mi);
  create table users (
    id bigint generated always as identity primary key,
    email email unique,
    name varchar(100) collate "C" not null,
    nick citext
  );
  create table posts (
    id serial primary key,
    author_id bigint not null references users (id) on delete cascade on update restrict
      deferrable initially deferred,
    title text not null default 'untitled',
    slug text generated always as (lower(title)) stored,
    status post_status not null default 'draft',
    score numeric(10, 2),
    during tstzrange,
    constraint posts_no_overlap exclude using gist (during with &&)
  );
  alter table posts add constraint posts_score_check check (score >= 0) not valid;
  alter table posts enable row level security;
  comment on table posts is 'blog posts';
  comment on column posts.title is 'headline';
  create index idx_posts_status on posts (status) where status <> 'archived';
  create index idx_posts_lower_title on posts (lower(title));
  create unlogged table scratch (id int);
  create table events (id int, author_id bigint references users (id), at date not null) partition by range (at);
  create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
  create index idx_events_at on events (at);
  create view published_posts as select id, title from posts where status = 'published';
  create materialized view post_counts as select author_id, count(*) as n from posts group by author_id;
  create unique index post_counts_author on post_counts (author_id);
  create sequence audit.ticket_seq as integer start 100 increment 5 cache 10 cycle;
  create table audit.log (id bigserial primary key, at timestamptz not null default now(), message text);
  create function slugify(input text) returns text language sql immutable as $$ select lower(input) $$;
  create function slugify(input text, sep text) returns text language sql immutable
    as $$ select replace(lower(input), ' ', sep) $$;
  create procedure audit.purge(days integer) language plpgsql
    as $$ begin delete from audit.log where at < now() - make_interval(days => days); end $$;
  create function audit.log_change() returns trigger language plpgsql
    as $$ begin insert into audit.log (message) values (tg_op); return new; end $$;
  create trigger posts_audit after insert or update on posts for each row execute function audit.log_change();
  create trigger events_audit after insert on events for each row execute function audit.log_change();
  create function audit.on_ddl() returns event_trigger language plpgsql as $$ begin end $$;
  create event trigger ddl_watch on ddl_command_end execute function audit.on_ddl();
`;

const snapshotter = new PostgresSnapshotter();

function snapshotOf(db: Kysely<any>, excludeTables: readonly string[] = []): Promise<SchemaSnapshot> {
  return snapshotter.take(db, { excludeTables });
}

/** Runs a script of several statements, as a SQL migration file would be run. */
async function run(db: Kysely<any>, script: string): Promise<void> {
  await sql.raw(script).execute(db);
}

function attributesOf(snapshot: SchemaSnapshot, key: string): Readonly<Record<string, AttributeValue>> {
  const object = snapshot.objects[key];
  if (object === undefined) {
    throw new Error(`snapshot has no ${key}; it has ${Object.keys(snapshot.objects).join(', ')}`);
  }
  return object.attributes;
}

/** The snapshot without its notes: what the verdict compares. */
function verdictOf(snapshot: SchemaSnapshot): string {
  return JSON.stringify(Object.entries(snapshot.objects).map(([key, object]) => [key, object.attributes]));
}

describeEachEngine(
  'PostgresSnapshotter',
  (engine) => {
    it('records every kind of object', async () => {
      await using tw = await openTestThrowaway(engine, ['citext']);
      await run(tw.db, EVERY_KIND);
      const snapshot = await snapshotOf(tw.db);
      const keys = Object.keys(snapshot.objects);

      expect(snapshot.dialect).toBe('postgres');
      expect(attributesOf(snapshot, 'schema:audit')).toEqual({ comment: 'audit trail' });
      expect(keys).not.toContain('schema:public');
      expect(attributesOf(snapshot, 'extension:citext')).toMatchObject({ schema: 'public' });

      expect(attributesOf(snapshot, 'table:posts')).toMatchObject({
        kind: 'table',
        persistence: 'permanent',
        rowLevelSecurity: true,
        comment: 'blog posts',
      });
      expect(attributesOf(snapshot, 'table:scratch')).toMatchObject({ persistence: 'unlogged' });
      expect(attributesOf(snapshot, 'table:events')).toMatchObject({
        kind: 'partitioned table',
        partitionKey: 'RANGE (at)',
      });
      expect(attributesOf(snapshot, 'table:events_2024')).toMatchObject({
        partitionOf: 'events',
        partitionBound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
      });
      expect(attributesOf(snapshot, 'table:audit.log')).toMatchObject({ kind: 'table' });

      expect(attributesOf(snapshot, 'column:posts.id')).toMatchObject({
        type: 'integer',
        nullable: false,
        default: "nextval('posts_id_seq'::regclass)",
      });
      expect(snapshot.objects['column:posts.title']).toMatchObject({
        table: 'posts',
        attributes: { type: 'text', default: "'untitled'::text", comment: 'headline' },
      });
      expect(attributesOf(snapshot, 'column:posts.slug')).toMatchObject({
        generated: 'lower(title)',
        generatedStorage: 'stored',
        default: null,
      });
      expect(attributesOf(snapshot, 'column:posts.score')).toMatchObject({
        type: 'numeric(10,2)',
        nullable: true,
      });
      expect(attributesOf(snapshot, 'column:users.id')).toMatchObject({ identity: 'always' });
      expect(attributesOf(snapshot, 'column:users.name')).toMatchObject({
        type: 'varchar(100)',
        collation: '"C"',
      });
      expect(attributesOf(snapshot, 'column:users.email')).toMatchObject({ type: 'email', collation: null });
      expect(attributesOf(snapshot, 'column:audit.log.id')).toMatchObject({
        default: "nextval('audit.log_id_seq'::regclass)",
      });

      expect(attributesOf(snapshot, 'constraint:posts/posts_pkey')).toMatchObject({
        type: 'primary key',
        definition: 'PRIMARY KEY (id)',
      });
      expect(attributesOf(snapshot, 'constraint:users/users_email_key')).toMatchObject({ type: 'unique' });
      expect(attributesOf(snapshot, 'constraint:posts/posts_score_check')).toMatchObject({
        type: 'check',
        validated: false,
      });
      expect(attributesOf(snapshot, 'constraint:posts/posts_author_id_fkey')).toMatchObject({
        type: 'foreign key',
        deferrable: 'deferrable initially deferred',
      });
      expect(attributesOf(snapshot, 'constraint:posts/posts_no_overlap')).toMatchObject({
        type: 'exclusion',
        definition: 'EXCLUDE USING gist (during WITH &&)',
      });

      expect(attributesOf(snapshot, 'view:published_posts')['definition']).toMatch(
        /'published'::post_status/,
      );
      expect(attributesOf(snapshot, 'materialized view:post_counts')['definition']).toMatch(/count\(\*\)/);
      expect(attributesOf(snapshot, 'index:post_counts/post_counts_author')).toMatchObject({ unique: true });
      expect(attributesOf(snapshot, 'index:events/idx_events_at')).toMatchObject({ method: 'btree' });

      expect(attributesOf(snapshot, 'sequence:audit.ticket_seq')).toEqual({
        type: 'integer',
        start: '100',
        increment: '5',
        min: '1',
        max: '2147483647',
        cache: '10',
        cycle: true,
        ownedBy: null,
        comment: null,
      });
      expect(attributesOf(snapshot, 'sequence:posts_id_seq')).toMatchObject({ ownedBy: 'posts.id' });
      expect(attributesOf(snapshot, 'sequence:users_id_seq')).toMatchObject({ ownedBy: 'users.id' });

      expect(attributesOf(snapshot, 'type:email')).toMatchObject({
        type: 'domain',
        baseType: 'text',
        default: "'nobody@example.com'::text",
        notNull: true,
        checks: "email_check CHECK ((VALUE ~~ '%@%'::text))",
        collation: '"C"',
      });
      expect(attributesOf(snapshot, 'type:point2')).toMatchObject({
        type: 'composite',
        fields: 'x integer, y integer',
      });
      expect(attributesOf(snapshot, 'type:float_range')).toMatchObject({
        type: 'range',
        subtype: 'double precision',
        subtypeDiff: 'float8mi',
      });

      expect(attributesOf(snapshot, 'procedure:audit.purge(integer)')['definition']).toMatch(
        /^CREATE OR REPLACE PROCEDURE audit\.purge\(IN days integer\)/,
      );
      expect(attributesOf(snapshot, 'function:audit.log_change()')['definition']).toMatch(/LANGUAGE plpgsql/);
      expect(attributesOf(snapshot, 'trigger:posts/posts_audit')).toEqual({
        definition:
          'CREATE TRIGGER posts_audit AFTER INSERT OR UPDATE ON public.posts FOR EACH ROW EXECUTE FUNCTION audit.log_change()',
        enabled: 'enabled',
      });
      expect(attributesOf(snapshot, 'event:ddl_watch')).toMatchObject({
        event: 'ddl_command_end',
        function: 'audit.on_ddl()',
      });

      // What the server derives from other objects is not listed on its own: a range type's
      // constructors, constraint-backed indexes, and a partition's copies of its parent's index,
      // foreign key and trigger.
      expect(keys.filter((key) => key.startsWith('function:float_'))).toEqual([]);
      expect(keys.filter((key) => key.startsWith('index:') && /_pkey|_key|no_overlap/.test(key))).toEqual([]);
      expect(keys.filter((key) => key.includes('events_2024/'))).toEqual([]);
      expect(keys.filter((key) => key.startsWith('constraint:events/'))).toEqual([
        'constraint:events/events_author_id_fkey',
      ]);
      expect(keys).toContain('trigger:events/events_audit');
    });

    it('lists an extension, not the objects it owns', async () => {
      await using tw = await openTestThrowaway(engine, ['citext']);
      await run(
        tw.db,
        'create schema ext; create extension citext schema ext; create table t (name ext.citext)',
      );
      const snapshot = await snapshotOf(tw.db);
      const keys = Object.keys(snapshot.objects);

      expect(attributesOf(snapshot, 'extension:citext')).toMatchObject({ schema: 'ext' });
      expect(attributesOf(snapshot, 'column:t.name')).toMatchObject({ type: 'ext.citext' });
      expect(keys.filter((key) => /citext/.test(key))).toEqual(['extension:citext']);
      expect(keys.filter((key) => key.startsWith('function:') || key.startsWith('type:'))).toEqual([]);
    });

    it('gives byte-identical snapshots for the same schema built in another database', async () => {
      await using first = await openTestThrowaway(engine, ['citext']);
      await using second = await openTestThrowaway(engine, ['citext']);
      // Different histories leave different OIDs and relfilenodes behind the same schema.
      await run(
        second.db,
        'create table noise (id int); drop table noise; create type junk as enum (); drop type junk',
      );
      await run(first.db, EVERY_KIND);
      await run(second.db, EVERY_KIND);

      expect(JSON.stringify(await snapshotOf(second.db))).toBe(JSON.stringify(await snapshotOf(first.db)));
    });

    it("does not depend on the session's search_path, and leaves it as it was", async () => {
      await using first = await openTestThrowaway(engine);
      await using second = await openTestThrowaway(engine);
      const script =
        'create schema app; create table app.items (id serial primary key); create table notes (id int)';
      await run(first.db, script);
      await run(second.db, script);
      const expected = JSON.stringify(await snapshotOf(first.db));

      await second.db.connection().execute(async (connection) => {
        await sql`set search_path to app, public`.execute(connection);
        expect(JSON.stringify(await snapshotOf(connection))).toBe(expected);
        const after = await sql<{ search_path: string }>`show search_path`.execute(connection);
        expect(after.rows[0]?.search_path).toBe('app, public');
        await sql`reset search_path`.execute(connection);
      });
      await second.db.transaction().execute(async (trx) => {
        await sql`set local search_path to app`.execute(trx);
        expect(JSON.stringify(await snapshotOf(trx))).toBe(expected);
        const after = await sql<{ search_path: string }>`show search_path`.execute(trx);
        expect(after.rows[0]?.search_path).toBe('app');
      });
    });

    it('ignores sequence values and statistics', async () => {
      await using tw = await openTestThrowaway(engine, ['citext']);
      await run(tw.db, EVERY_KIND);
      const before = JSON.stringify(await snapshotOf(tw.db));

      await run(
        tw.db,
        `insert into users (email, name) values ('a@example.com', 'a'), ('b@example.com', 'b');
         insert into posts (author_id, title) select id, 'post ' || id from users;
         select nextval('audit.ticket_seq'), nextval('audit.ticket_seq');
         select setval('posts_id_seq', 1000, false);`,
      );
      await run(tw.db, 'refresh materialized view post_counts');
      await run(tw.db, 'analyze');

      expect(JSON.stringify(await snapshotOf(tw.db))).toBe(before);
    });

    it('keeps column position out of the verdict', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, 'create table posts (id int, title text not null default $$x$$, body text)');
      const before = await snapshotOf(tw.db);

      // What a down does to undo "drop column title": the column comes back, but last.
      await run(
        tw.db,
        'alter table posts drop column title; alter table posts add column title text not null default $$x$$',
      );
      const after = await snapshotOf(tw.db);

      expect(verdictOf(after)).toBe(verdictOf(before));
      expect(before.objects['column:posts.title']?.notes).toEqual({ position: 2 });
      expect(after.objects['column:posts.title']?.notes).toEqual({ position: 3 });
      expect(after.objects['column:posts.body']?.notes).toEqual({ position: 2 });
    });

    it("records a foreign key's ON DELETE action", async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        `create table users (id int primary key);
         create table posts (id int, author_id int constraint posts_author_fk references users on delete set null)`,
      );
      const before = await snapshotOf(tw.db);
      expect(attributesOf(before, 'constraint:posts/posts_author_fk')).toMatchObject({
        type: 'foreign key',
        onDelete: 'set null',
        onUpdate: 'no action',
        validated: true,
      });

      // A down that restores the key but forgets its action is residue.
      await run(
        tw.db,
        `alter table posts drop constraint posts_author_fk;
         alter table posts add constraint posts_author_fk foreign key (author_id) references users`,
      );
      const after = await snapshotOf(tw.db);
      expect(attributesOf(after, 'constraint:posts/posts_author_fk')['onDelete']).toBe('no action');
      expect(verdictOf(after)).not.toBe(verdictOf(before));
    });

    it('records partial and expression indexes', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        `create table posts (id int primary key, title text unique, status text);
         create index idx_posts_status on posts (status) where status <> 'archived';
         create unique index idx_posts_lower_title on posts using btree (lower(title) desc);
         create index idx_posts_title_hash on posts using hash (title);`,
      );
      const snapshot = await snapshotOf(tw.db);

      expect(snapshot.objects['index:posts/idx_posts_status']).toEqual({
        kind: 'index',
        name: 'idx_posts_status',
        table: 'posts',
        attributes: {
          comment: null,
          definition:
            "CREATE INDEX idx_posts_status ON public.posts USING btree (status) WHERE (status <> 'archived'::text)",
          method: 'btree',
          predicate: "(status <> 'archived'::text)",
          unique: false,
          valid: true,
        },
      });
      expect(attributesOf(snapshot, 'index:posts/idx_posts_lower_title')).toMatchObject({
        definition:
          'CREATE UNIQUE INDEX idx_posts_lower_title ON public.posts USING btree (lower(title) DESC)',
        unique: true,
      });
      expect(attributesOf(snapshot, 'index:posts/idx_posts_title_hash')).toMatchObject({ method: 'hash' });
      // The indexes behind the primary key and the unique constraint are those constraints.
      expect(Object.keys(snapshot.objects).filter((key) => key.startsWith('index:'))).toEqual([
        'index:posts/idx_posts_lower_title',
        'index:posts/idx_posts_status',
        'index:posts/idx_posts_title_hash',
      ]);

      // Recreating the index without its WHERE clause is a difference.
      await run(tw.db, 'drop index idx_posts_status; create index idx_posts_status on posts (status)');
      expect(attributesOf(await snapshotOf(tw.db), 'index:posts/idx_posts_status')['predicate']).toBeNull();
    });

    it('leaves out excluded tables and what belongs to them', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        `create schema bookkeeping;
         create table kysely_migration (name varchar(255) primary key, timestamp varchar(255) not null);
         create index kysely_migration_timestamp on kysely_migration (timestamp);
         create table bookkeeping.runs (id serial primary key, at timestamptz check (at > '2000-01-01'));
         create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
         create trigger runs_touch before insert on bookkeeping.runs for each row execute function touch();
         create table posts (id serial primary key);`,
      );
      const snapshot = await snapshotOf(tw.db, ['kysely_migration', 'bookkeeping.runs']);
      const keys = Object.keys(snapshot.objects);

      expect(keys.filter((key) => /kysely_migration|runs/.test(key))).toEqual([]);
      // Only the table is left out: its schema, and the function its trigger called, remain.
      expect(keys).toEqual(
        expect.arrayContaining([
          'schema:bookkeeping',
          'function:touch()',
          'table:posts',
          'sequence:posts_id_seq',
        ]),
      );
      // A qualified name matches a table in public too.
      const qualified = await snapshotOf(tw.db, ['public.kysely_migration']);
      expect(Object.keys(qualified.objects).filter((key) => key.includes('kysely_migration'))).toEqual([]);
    });

    it('sees uncommitted DDL inside a transaction', async () => {
      await using tw = await openTestThrowaway(engine);
      const rolledBack = new Error('roll back');
      const inside = await tw.db
        .transaction()
        .execute(async (trx) => {
          await run(trx, 'create table drafts (id int); create index idx_drafts_id on drafts (id)');
          const snapshot = await snapshotOf(trx);
          // The transaction is still usable after the snapshot.
          await run(trx, 'create table more_drafts (id int)');
          throw Object.assign(rolledBack, { snapshot });
        })
        .catch((error: unknown) => {
          if (error !== rolledBack) throw error;
          return (error as Error & { snapshot: SchemaSnapshot }).snapshot;
        });

      expect(Object.keys(inside.objects)).toEqual(
        expect.arrayContaining(['table:drafts', 'column:drafts.id', 'index:drafts/idx_drafts_id']),
      );
      // plpgsql is installed in every new database; nothing else is left after the rollback.
      expect(Object.keys((await snapshotOf(tw.db)).objects)).toEqual(['extension:plpgsql']);
    });

    it('records types in the short forms people write', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        `create domain code as character(3);
        create type stamp as (at timestamp(3) with time zone, note character varying(20));
        create type "character varying" as enum ('x');
        create table t (
          a character varying(255), b character(3), c timestamp without time zone,
          d timestamp(3) with time zone, e time without time zone, f time with time zone,
          g bit varying(5), h character varying(10)[], i timestamptz[], j double precision,
          k "character varying", l character varying
        )`,
      );
      const snapshot = await snapshotOf(tw.db);
      const typeOf = (column: string): AttributeValue | undefined =>
        attributesOf(snapshot, `column:t.${column}`)['type'];
      expect(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map(typeOf)).toEqual([
        'varchar(255)',
        'char(3)',
        'timestamp',
        'timestamptz(3)',
        'time',
        'timetz',
        'varbit(5)',
        'varchar(10)[]',
        'timestamptz[]',
        'double precision',
        // A user's type named like a built-in one keeps its quoted name.
        '"character varying"',
        'varchar',
      ]);
      expect(attributesOf(snapshot, 'type:code')['baseType']).toBe('char(3)');
      expect(attributesOf(snapshot, 'type:stamp')['fields']).toBe('at timestamptz(3), note varchar(20)');
    });

    it('records enum labels in order', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, "create type mood as enum ('sad', 'ok', 'happy'); create type audit_level as enum ()");
      const before = await snapshotOf(tw.db);
      expect(attributesOf(before, 'type:mood')).toEqual({
        type: 'enum',
        labels: "'sad', 'ok', 'happy'",
        comment: null,
      });
      expect(attributesOf(before, 'type:audit_level')).toMatchObject({ labels: '' });

      // A label added in another place is a different type.
      await run(tw.db, "alter type mood add value 'meh' before 'ok'");
      expect(attributesOf(await snapshotOf(tw.db), 'type:mood')['labels']).toBe(
        "'sad', 'meh', 'ok', 'happy'",
      );
    });

    it('tells function overloads apart by their argument types', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(
        tw.db,
        `create schema util;
         create function slugify(input text) returns text language sql as $$ select lower(input) $$;
         create function slugify(input text, sep char) returns text language sql as $$ select lower(input) $$;
         create function util.slugify(input varchar) returns text language sql as $$ select lower(input) $$;
         create procedure reindex_all() language sql as $$ select 1 $$;`,
      );
      const keys = Object.keys((await snapshotOf(tw.db)).objects);

      expect(keys.filter((key) => /^(function|procedure):/.test(key))).toEqual([
        'function:slugify(text)',
        'function:slugify(text, character)',
        'function:util.slugify(character varying)',
        'procedure:reindex_all()',
      ]);

      // A down that drops only one overload leaves the other behind.
      await run(tw.db, 'drop function slugify(text, char)');
      const after = Object.keys((await snapshotOf(tw.db)).objects);
      expect(after).toContain('function:slugify(text)');
      expect(after).not.toContain('function:slugify(text, character)');
    });

    it('records comments on tables and columns', async () => {
      await using tw = await openTestThrowaway(engine);
      await run(tw.db, "create table posts (id int); comment on column posts.id is 'the key'");
      const before = await snapshotOf(tw.db);
      await run(tw.db, 'comment on column posts.id is null');
      const after = await snapshotOf(tw.db);

      expect(attributesOf(before, 'column:posts.id')['comment']).toBe('the key');
      expect(attributesOf(after, 'column:posts.id')['comment']).toBeNull();
    });
  },
  POSTGRES_ENGINES,
);
