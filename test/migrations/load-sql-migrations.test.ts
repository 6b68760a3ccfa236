import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import type { Migration } from '../../src/core/parts/migrations/migration.ts';
import { recordingDatabase } from './fake-database.ts';
import { fixture, sha256 } from './fixtures.ts';

async function load(
  name: string,
  dialect: 'postgres' | 'mysql' = 'postgres',
): Promise<Map<string, Migration>> {
  const migrations = await loadMigrations({ path: fixture(name), dialect });
  return new Map(migrations.map((migration) => [migration.name, migration]));
}

async function run(step: Migration['up'] | undefined): Promise<string[]> {
  const { db, queries } = recordingDatabase();
  await step!(db);
  return queries;
}

describe('loadMigrations with SQL files', () => {
  it('pairs name.up.sql with name.down.sql and runs each statement on its own', async () => {
    const users = (await load('sql-formats')).get('001_users')!;

    expect(users.source).toEqual({
      format: 'sql',
      path: fixture('sql-formats', '001_users.up.sql'),
      downPath: fixture('sql-formats', '001_users.down.sql'),
    });
    expect(await run(users.up)).toEqual([
      'CREATE TABLE users (\n  id integer PRIMARY KEY,\n  name text NOT NULL\n)',
      'CREATE INDEX users_name ON users (name)',
    ]);
    expect(await run(users.down)).toEqual(['DROP TABLE users']);
  });

  it('reads a folder name/ holding up.sql and down.sql as one migration', async () => {
    const posts = (await load('sql-formats')).get('002_posts')!;

    expect(posts.source.path).toBe(fixture('sql-formats', '002_posts', 'up.sql'));
    expect(await run(posts.up)).toEqual(['CREATE TABLE posts (id integer PRIMARY KEY)']);
    expect(await run(posts.down)).toEqual(['DROP TABLE posts']);
  });

  it('splits a dbmate-style name.sql at its -- migrate:up and -- migrate:down lines', async () => {
    const tags = (await load('sql-formats')).get('003_tags')!;

    expect(tags.source).toEqual({ format: 'sql', path: fixture('sql-formats', '003_tags.sql') });
    expect(await run(tags.up)).toEqual([
      'CREATE TABLE tags (id integer PRIMARY KEY)',
      'INSERT INTO tags (id) VALUES (1)',
    ]);
    expect(await run(tags.down)).toEqual(['DROP TABLE tags']);
  });

  it('reads a SQL file without dbmate markers as an up with no down', async () => {
    const audit = (await load('sql-formats')).get('004_audit')!;

    expect(await run(audit.up)).toEqual(['CREATE TABLE audit (id integer)']);
    expect(audit.down).toBeUndefined();
  });

  it('checksums a SQL migration over its up and down texts', async () => {
    const migrations = await load('sql-formats');
    const upText = await readFile(fixture('sql-formats', '001_users.up.sql'), 'utf8');
    const downText = await readFile(fixture('sql-formats', '001_users.down.sql'), 'utf8');

    expect(migrations.get('001_users')!.checksum).toBe(sha256(`${upText}\0${downText}`));
    expect(migrations.get('003_tags')!.checksum).toBe(
      sha256(await readFile(fixture('sql-formats', '003_tags.sql'))),
    );
  });

  it("prefers a file with the dialect's infix over the generic file of the same name", async () => {
    const postgres = await load('sql-dialects', 'postgres');
    const mysql = await load('sql-dialects', 'mysql');

    expect(await run(postgres.get('001_json')!.up)).toEqual(['CREATE TABLE docs (body jsonb)']);
    expect(await run(mysql.get('001_json')!.up)).toEqual(['CREATE TABLE docs (body json)']);
    expect(await run(postgres.get('001_json')!.down)).toEqual(['DROP TABLE docs']);
    expect(await run(mysql.get('004_views')!.up)).toEqual([
      'CREATE ALGORITHM = MERGE VIEW docs_view AS SELECT body FROM docs',
    ]);
    expect(await run(postgres.get('004_views')!.up)).toEqual([
      'CREATE VIEW docs_view AS SELECT body FROM docs',
    ]);
  });

  it('ignores files written for the other dialect', async () => {
    const postgres = await load('sql-dialects', 'postgres');
    const mysql = await load('sql-dialects', 'mysql');

    expect([...postgres.keys()]).toEqual(['001_json', '002_search', '003_pg_only', '004_views']);
    expect([...mysql.keys()]).toEqual(['001_json', '002_search', '004_views']);
    expect(await run(postgres.get('002_search')!.up)).toEqual([
      'CREATE INDEX docs_body ON docs USING gin (body)',
    ]);
    expect(await run(mysql.get('002_search')!.down)).toEqual(['DROP INDEX docs_body ON docs']);
  });

  it('records empty and comments-only SQL files as legitimate no-ops', async () => {
    const noop = (await load('sql-conventions')).get('001_noop')!;

    expect(noop.empty).toEqual({ up: true, down: true });
    expect(noop.down).toBeTypeOf('function');
    expect(await run(noop.up)).toEqual([]);
    expect(await run(noop.down)).toEqual([]);
  });

  it('records an empty -- migrate:down section as an empty down, not a missing one', async () => {
    const migration = (await load('sql-conventions')).get('005_empty_down')!;

    expect(migration.empty).toEqual({ up: false, down: true });
    expect(migration.down).toBeTypeOf('function');
  });

  it('leaves down undefined when there is no down file, and reads -- migration-gate:irreversible', async () => {
    const migration = (await load('sql-conventions')).get('002_drop_legacy')!;

    expect(migration.down).toBeUndefined();
    expect(migration.irreversible).toBe('the legacy data is gone for good');
    expect(migration.empty).toEqual({ up: false, down: false });
  });

  it('opts out of the transaction with -- migration-gate:no-transaction or dbmate transaction:false', async () => {
    const migrations = await load('sql-conventions');

    expect(migrations.get('003_concurrent_index')!.transactional).toBe(false);
    expect(migrations.get('004_no_tx')!.transactional).toBe(false);
    expect(migrations.get('001_noop')!.transactional).toBe(true);
    expect(migrations.get('001_noop')!.irreversible).toBeUndefined();
  });
});
