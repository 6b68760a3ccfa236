import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { recordingDatabase } from './fake-database.ts';
import { temporaryFolder } from './fixtures.ts';

const journal = (dialect: string, ...tags: string[]) =>
  JSON.stringify({
    version: '7',
    dialect,
    entries: tags.map((tag, idx) => ({
      idx,
      version: '7',
      when: 1717000000000 + idx,
      tag,
      breakpoints: true,
    })),
  });

async function drizzleFolder(files: Record<string, string>) {
  const folder = await temporaryFolder();
  await mkdir(join(folder.path, 'meta'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder.path, name), text);
  return folder;
}

async function loadError(path: string, dialect: 'postgres' | 'mysql' = 'postgres'): Promise<Error> {
  return loadMigrations({ path, dialect }).then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as Error,
  );
}

describe("loadMigrations with drizzle-kit's folder", () => {
  it('splits at --> statement-breakpoint on MySQL too, where --> is no comment', async () => {
    await using folder = await drizzleFolder({
      '0000_a.sql': 'CREATE TABLE `a` (`id` int);--> statement-breakpoint\nCREATE TABLE `b` (`id` int);',
      'meta/_journal.json': journal('mysql', '0000_a'),
    });
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'mysql' });
    const { db, queries } = recordingDatabase();

    await migration!.up(db);

    expect(queries).toEqual(['CREATE TABLE `a` (`id` int)', 'CREATE TABLE `b` (`id` int)']);
    expect(migration!.down).toBeUndefined();
  });

  it('takes x.down.sql beside x.sql as its down, where x.sql has no -- migrate:down section', async () => {
    await using folder = await drizzleFolder({
      '0000_a.sql': 'CREATE TABLE a (id int);',
      '0000_a.down.sql': 'DROP TABLE a;',
      'meta/_journal.json': journal('postgresql', '0000_a'),
    });
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'postgres' });

    expect(migration!.source).toEqual({
      format: 'sql',
      path: join(folder.path, '0000_a.sql'),
      downPath: join(folder.path, '0000_a.down.sql'),
    });
  });

  it('still refuses two downs: a -- migrate:down section and x.down.sql', async () => {
    await using folder = await temporaryFolder();
    await writeFile(join(folder.path, '001_a.sql'), '-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n');
    await writeFile(join(folder.path, '001_a.down.sql'), 'SELECT 3;');

    expect((await loadError(folder.path)).message).toMatch(
      /^duplicate migration name 001_a: .* both define its down$/,
    );
  });

  it('refuses a journal entry without its file, a file the journal does not list, and another dialect', async () => {
    await using missing = await drizzleFolder({
      '0000_a.sql': 'SELECT 1;',
      'meta/_journal.json': journal('postgresql', '0000_a', '0001_b'),
    });
    expect((await loadError(missing.path)).message).toMatch(
      /meta\/_journal\.json: lists 0001_b, which has no file 0001_b\.sql: restore it, or remove it with drizzle-kit drop$/,
    );

    await using unlisted = await drizzleFolder({
      '0000_a.sql': 'SELECT 1;',
      '0001_b.sql': 'SELECT 2;',
      'meta/_journal.json': journal('postgresql', '0000_a'),
    });
    expect((await loadError(unlisted.path)).message).toMatch(
      /meta\/_journal\.json: does not list 0001_b, so drizzle's migrator would never run it: generate migrations with drizzle-kit generate, or add its entry$/,
    );

    await using mysql = await drizzleFolder({
      '0000_a.sql': 'SELECT 1;',
      'meta/_journal.json': journal('mysql', '0000_a'),
    });
    expect((await loadError(mysql.path)).message).toMatch(
      /meta\/_journal\.json: the migrations are for mysql: run with --dialect mysql$/,
    );
  });
});
