import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { recordingDatabase } from './fake-database.ts';
import { copyFixture, fixture, sha256 } from './fixtures.ts';

describe('loadMigrations with Kysely migration modules', () => {
  it('loads one migration per .ts .mts .cts .js .mjs .cjs file, named by the file name without extension', async () => {
    const migrations = await loadMigrations({ path: fixture('kysely-modules'), dialect: 'postgres' });

    expect(migrations.map((migration) => [migration.name, migration.source.format])).toEqual([
      ['001_create_users', 'module'],
      ['002_add_posts', 'module'],
      ['003_add_index', 'module'],
      ['004_seed', 'module'],
      ['005_add_tags', 'module'],
      ['006_legacy', 'module'],
    ]);
    expect(migrations[0]!.source).toEqual({
      format: 'module',
      path: fixture('kysely-modules', '001_create_users.ts'),
    });
  });

  it('ignores declaration files, tests, dotfiles and non-migration files beside the migrations', async () => {
    const names = (await loadMigrations({ path: fixture('kysely-modules'), dialect: 'postgres' })).map(
      (migration) => migration.name,
    );

    expect(names).not.toContain('types.d');
    expect(names).not.toContain('001_create_users.spec');
    expect(names).not.toContain('helpers.test');
    expect(names).not.toContain('README');
    expect(names).not.toContain('.draft');
  });

  it('runs TypeScript up and down on the given database, with kysely imports resolved', async () => {
    const [users] = await loadMigrations({ path: fixture('kysely-modules'), dialect: 'postgres' });
    const { db, queries } = recordingDatabase();

    await users!.up(db);
    await users!.down!(db);

    expect(queries).toEqual(['create table users ("id" integer primary key)', 'drop table "users"']);
  });

  it('runs CommonJS modules (.cjs with require, .cts with export =) like ES modules', async () => {
    const migrations = await loadMigrations({ path: fixture('kysely-modules'), dialect: 'postgres' });
    const byName = new Map(migrations.map((migration) => [migration.name, migration]));
    const { db, queries } = recordingDatabase();

    await byName.get('003_add_index')!.up(db);
    await byName.get('006_legacy')!.down!(db);

    expect(queries).toEqual(['create index concurrently posts_id on posts (id)', 'drop table legacy']);
  });

  it('leaves down undefined when a module exports none', async () => {
    const migrations = await loadMigrations({ path: fixture('kysely-modules'), dialect: 'postgres' });

    expect(migrations.find((migration) => migration.name === '004_seed')!.down).toBeUndefined();
    expect(migrations.find((migration) => migration.name === '005_add_tags')!.down).toBeTypeOf('function');
  });

  it('reads the irreversible and transaction conventions from module exports', async () => {
    const migrations = await loadMigrations({ path: fixture('kysely-modules'), dialect: 'postgres' });
    const byName = new Map(migrations.map((migration) => [migration.name, migration]));

    expect(byName.get('004_seed')!.irreversible).toBe('seed data cannot be told apart from user data');
    expect(byName.get('003_add_index')!.transactional).toBe(false);
    expect(byName.get('001_create_users')!).toMatchObject({
      irreversible: undefined,
      transactional: true,
      empty: { up: false, down: false },
    });
  });

  it('checksums a module as the sha256 of its file', async () => {
    const [users] = await loadMigrations({ path: fixture('kysely-modules'), dialect: 'postgres' });

    expect(users!.checksum).toBe(sha256(await readFile(fixture('kysely-modules', '001_create_users.ts'))));
  });

  it('loads migrations that import kysely from a folder with no node_modules above it', async () => {
    await using copy = await copyFixture('kysely-modules');
    const migrations = await loadMigrations({ path: copy.path, dialect: 'postgres' });
    const { db, queries } = recordingDatabase();

    for (const migration of migrations) await migration.up(db);

    expect(copy.path.startsWith(fixture())).toBe(false);
    expect(queries).toHaveLength(6);
    expect(queries[0]).toBe('create table users ("id" integer primary key)');
  });

  it('reads each module afresh on every load, so an edited migration is seen', async () => {
    await using copy = await copyFixture('kysely-modules');
    const file = join(copy.path, '005_add_tags.mjs');
    await loadMigrations({ path: copy.path, dialect: 'postgres' });

    await writeFile(file, (await readFile(file, 'utf8')).replace('create table tags', 'create table labels'));
    const migrations = await loadMigrations({ path: copy.path, dialect: 'postgres' });
    const { db, queries } = recordingDatabase();
    await migrations.find((migration) => migration.name === '005_add_tags')!.up(db);

    expect(queries).toEqual(['create table labels (id integer primary key)']);
  });

  it('supports top-level await in a module', async () => {
    await using copy = await copyFixture('kysely-modules');
    await writeFile(
      join(copy.path, '007_awaits.mts'),
      [
        "import { sql } from 'kysely';",
        "const table = await Promise.resolve('awaited');",
        'export async function up(db: any): Promise<void> {',
        '  await sql.raw(`create table ${table} (id int)`).execute(db);',
        '}',
      ].join('\n'),
    );
    const migrations = await loadMigrations({ path: copy.path, dialect: 'postgres' });
    const { db, queries } = recordingDatabase();
    await migrations.find((migration) => migration.name === '007_awaits')!.up(db);

    expect(queries).toEqual(['create table awaited (id int)']);
  });
});
