import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { fixture, temporaryFolder } from './fixtures.ts';

describe('loadMigrations with a folder mixing formats', () => {
  it("orders modules and SQL migrations together by name, in Kysely's code-unit order", async () => {
    const migrations = await loadMigrations({ path: fixture('mixed'), dialect: 'postgres' });

    expect(migrations.map((migration) => [migration.name, migration.source.format])).toEqual([
      ['001_init', 'module'],
      ['002_users', 'sql'],
      ['003_posts', 'sql'],
      ['004_tags', 'sql'],
      ['005-seed', 'module'],
      ['005_Seed', 'module'],
      ['005_seed', 'module'],
      ['10_later', 'sql'],
    ]);
  });

  it('sorts exactly like Array.prototype.sort() on the names', async () => {
    const names = (await loadMigrations({ path: fixture('mixed'), dialect: 'mysql' })).map(
      (migration) => migration.name,
    );

    expect(names).toEqual([...names].sort());
    expect(names).not.toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('refuses a folder with no migration, naming it, unless an empty one is allowed', async () => {
    await using folder = await temporaryFolder();
    await mkdir(join(folder.path, 'helpers'));

    await expect(loadMigrations({ path: folder.path, dialect: 'postgres' })).rejects.toThrow(
      `no migrations in ${folder.path}:`,
    );
    expect(await loadMigrations({ path: folder.path, dialect: 'postgres', allowEmpty: true })).toEqual([]);
  });
});
