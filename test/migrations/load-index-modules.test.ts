import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { recordingDatabase } from './fake-database.ts';
import { fixture, sha256, temporaryFolder } from './fixtures.ts';
import { UsageError } from '../../src/core/model/errors.ts';

describe('loadMigrations with an index module', () => {
  it('loads an index module whose .js specifiers point at .ts files', async () => {
    const migrations = await loadMigrations({ path: fixture('index-export-star'), dialect: 'postgres' });
    const { db, queries } = recordingDatabase();

    for (const migration of migrations) await migration.up(db);

    expect(migrations.map((migration) => migration.name)).toEqual([
      '_20230309T045948368Z',
      '_20230310T101500000Z',
    ]);
    expect(queries).toEqual([
      'create table users (id integer primary key)',
      'create table posts (id integer primary key)',
    ]);
  });

  it('treats an index module in a folder as the whole set, ignoring the other files there', async () => {
    const migrations = await loadMigrations({ path: fixture('index-export-star'), dialect: 'postgres' });

    expect(migrations.map((migration) => migration.name)).not.toContain('999_ignored');
    expect(migrations.every((migration) => migration.source.format === 'index-module')).toBe(true);
  });

  it('points an export * as entry at its own file, for its checksum and its errors', async () => {
    const [init, posts] = await loadMigrations({ path: fixture('index-export-star'), dialect: 'postgres' });
    const initFile = fixture('index-export-star', '20230309T045948368Z-init.ts');

    expect(init!.source).toEqual({ format: 'index-module', path: initFile });
    expect(init!.checksum).toBe(sha256(await readFile(initFile)));
    expect(posts!.irreversible).toBe('posts are archived elsewhere before this runs');
    expect(posts!.down).toBeUndefined();
  });

  it('loads a migrations export that is a record, keyed by migration name, sorted by name', async () => {
    const migrations = await loadMigrations({
      path: fixture('index-migrations-record'),
      dialect: 'postgres',
    });

    expect(migrations.map((migration) => [migration.name, migration.transactional])).toEqual([
      ['001_create_users', false],
      ['002_add_posts', true],
    ]);
    expect(migrations[0]!.source.path).toBe(fixture('index-migrations-record', 'index.ts'));
  });

  it('checksums an entry it cannot trace to a file by the source of its functions', async () => {
    const [inline] = await loadMigrations({ path: fixture('index-migrations-record'), dialect: 'postgres' });

    expect(inline!.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(inline!.checksum).not.toBe(sha256(await readFile(fixture('index-migrations-record', 'index.ts'))));
  });

  it('loads a default export that is an array of createMigration(name, up, down) objects', async () => {
    const migrations = await loadMigrations({ path: fixture('index-default-array'), dialect: 'postgres' });
    const { db, queries } = recordingDatabase();

    for (const migration of migrations) await migration.up(db);
    await migrations[1]!.down!(db);

    expect(migrations.map((migration) => migration.name)).toEqual(['001_users', '002_posts']);
    expect(migrations[0]!.down).toBeUndefined();
    expect(queries).toEqual([
      'create table users (id integer)',
      'create table posts (id integer)',
      'drop table posts',
    ]);
  });

  it('loads an index module given as a file path, whatever its name', async () => {
    const migrations = await loadMigrations({
      path: fixture('index-file', 'migrations.mts'),
      dialect: 'mysql',
    });

    expect(migrations.map((migration) => migration.name)).toEqual(['001_only']);
    expect(migrations[0]!.source.path).toBe(fixture('index-file', 'migrations.mts'));
  });

  it('gives different checksums to entries whose functions differ', async () => {
    const [users, posts] = await loadMigrations({
      path: fixture('index-default-array'),
      dialect: 'postgres',
    });

    expect(users!.checksum).not.toBe(posts!.checksum);
  });
});

describe('loadMigrations with sets of migrations under any export name', () => {
  async function loadIndex(source: string) {
    await using folder = await temporaryFolder();
    await writeFile(join(folder.path, 'index.ts'), source);
    return await loadMigrations({ path: folder.path, dialect: 'postgres' });
  }

  it('reads every export holding an array or a record of migrations, beside single ones', async () => {
    const migrations = await loadIndex(
      [
        'const up = async () => {};',
        "export const blogMigrations = [{ name: '001_posts', up }, { name: '002_slug', up }];",
        "export const shop = { '003_orders': { up } };",
        'export const _004_users = { up };',
      ].join('\n'),
    );

    expect(migrations.map((migration) => migration.name)).toEqual([
      '001_posts',
      '002_slug',
      '003_orders',
      '_004_users',
    ]);
  });

  it('refuses an export that is neither a migration nor a set of them, saying what it holds', async () => {
    const error = await loadIndex(
      "export const blogMigrations = [{ name: '001_posts', up: async () => {} }];\nexport function createMigration() {}\n",
    ).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(
      /^export createMigration of .*index\.ts is a function \(createMigration\): an index module exports migrations/,
    );
  });

  it('names the element of a set that is not a migration, and what it is', async () => {
    const error = await loadIndex(
      "export const blogMigrations = [{ name: '001_posts', up: async () => {} }, { name: '002_slug', upp: 1 }];\n",
    ).catch((thrown: unknown) => thrown);

    expect((error as UsageError).message).toMatch(
      /^migration 002_slug in export blogMigrations of .*index\.ts has no up function: it is an object with no up function \(keys: name, upp\)$/,
    );
  });

  it('refuses one name in two sets', async () => {
    const error = await loadIndex(
      "const up = async () => {};\nexport const a = [{ name: '001_x', up }];\nexport const b = [{ name: '001_x', up }];\n",
    ).catch((thrown: unknown) => thrown);

    expect((error as UsageError).message).toMatch(/^duplicate migration name 001_x in index module /);
  });
});
