import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { parseConnectionUrl, withDatabase } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import { createBackupEngine } from '../../src/core/parts/backup/create-backup-engine.ts';
import type { RowCounts } from '../../src/core/model/backup-record.ts';
import { createSnapshotter } from '../../src/core/parts/schema/create-snapshotter.ts';
import type { SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { scratchDatabaseName } from '../../src/core/parts/throwaway/scratch-name.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { CONTAINER_IMAGES } from '../support/docker.ts';
import { dialectOf, serverUrlOf } from '../support/engines.ts';

/** A target database for backup tests, filled with a few tables, rows, an index, a view and a foreign key. */
export interface BackupTarget extends AsyncDisposable {
  /** Its URL, credentials included when a user was given. */
  readonly url: string;
  readonly name: string;
  readonly engine: TestEngine;
  /** A writable connection as the server's admin user. */
  readonly db: Kysely<any>;
  /** Schema snapshot and row counts, as the backup reads them. */
  read(): Promise<{ schema: SchemaSnapshot; rowCounts: RowCounts }>;
}

/**
 * A uniquely named database on the engine's local server, dropped on disposal. With `user`,
 * the URL logs in as that user (created by the caller) instead of the admin.
 */
export async function createBackupTarget(
  engine: TestEngine,
  user?: { readonly name: string; readonly password: string },
): Promise<BackupTarget> {
  const serverUrl = serverUrlOf(engine);
  if (serverUrl === undefined) throw new Error(`${engine} has no server`);
  const server = parseConnectionUrl(serverUrl);
  const admin = await openDatabase(server.dialect === 'postgres' ? withDatabase(server, 'postgres') : server);
  const name = scratchDatabaseName();
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const adminTarget = withDatabase(server, name);
  const { db } = await openDatabase(adminTarget);
  await fill(db, engine);
  const url = new URL(adminTarget.url.href);
  if (user !== undefined) {
    url.username = encodeURIComponent(user.name);
    url.password = encodeURIComponent(user.password);
  }
  const engineOfDialect = createBackupEngine(server.dialect);
  return {
    url: url.href,
    name,
    engine,
    db,
    async read() {
      return await db.connection().execute(async (connection) => ({
        schema: await createSnapshotter(server.dialect).take(connection, { excludeTables: [] }),
        rowCounts: await engineOfDialect.countRows(connection),
      }));
    },
    async [Symbol.asyncDispose]() {
      await db.destroy();
      const force = dialectOf(engine) === 'postgres' ? sql` with (force)` : sql``;
      await sql`drop database if exists ${sql.id(name)}${force}`.execute(admin.db);
      await admin.db.destroy();
    },
  };
}

async function fill(db: Kysely<any>, engine: TestEngine): Promise<void> {
  const text = dialectOf(engine) === 'postgres' ? sql`text` : sql`varchar(200)`;
  await sql`create table authors (id int primary key, name varchar(50) not null)`.execute(db);
  await sql`create table posts (
    id int primary key,
    author_id int not null,
    title varchar(100) not null,
    body ${text},
    constraint fk_posts_author foreign key (author_id) references authors (id) on delete cascade
  )`.execute(db);
  await sql`create index idx_posts_title on posts (title)`.execute(db);
  await sql`create table tags (id int primary key, label varchar(30) not null unique)`.execute(db);
  await sql`create view author_post_counts as
    select a.id, a.name, count(p.id) as posts from authors a left join posts p on p.author_id = a.id
    group by a.id, a.name`.execute(db);
  await sql`insert into authors (id, name) values (1, 'ada'), (2, 'grace'), (3, 'edsger')`.execute(db);
  await sql`insert into posts (id, author_id, title, body) values
    (1, 1, 'engines', 'notes on the analytical engine'),
    (2, 1, 'poetry', 'poetical science'),
    (3, 2, 'cobol', null),
    (4, 3, 'goto', 'considered harmful')`.execute(db);
  await sql`insert into tags (id, label) values (1, 'history'), (2, 'languages')`.execute(db);
}

/**
 * The image a dump or restore program runs in when no local client fits the engine's server
 * (PostgreSQL 17/18, MariaDB 11.8, MySQL 9.7 here): the engine's own image, official or stand-in,
 * where the code would pick the official one, which cannot be pulled on every machine.
 */
export function toolImageOf(engine: TestEngine): { readonly image: string } {
  if (engine === 'pglite') throw new Error('PGlite has no dump tool');
  return { image: CONTAINER_IMAGES[engine] };
}

/** The program that dumps the engine's server: MySQL's own `mysqldump` for Oracle MySQL. */
export function dumpToolOf(engine: TestEngine): string {
  if (dialectOf(engine) === 'postgres') return 'pg_dump';
  return engine === 'mysql' ? 'mysqldump' : 'mariadb-dump';
}
