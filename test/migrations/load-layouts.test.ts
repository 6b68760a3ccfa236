import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { temporaryFolder } from './fixtures.ts';

async function loadFiles(files: Record<string, string>, dialect: 'postgres' | 'mysql' = 'postgres') {
  await using folder = await temporaryFolder();
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder.path, name), text);
  return await loadMigrations({ path: folder.path, dialect });
}

async function refusal(files: Record<string, string>): Promise<string> {
  return loadFiles(files).then(
    () => 'loaded',
    (error: unknown) => (error as Error).message,
  );
}

describe("loadMigrations with Flyway's file names", () => {
  it('names V1_1__x.sql and its undo U1_1__x.sql one migration, V1_1__x', async () => {
    const [migration] = await loadFiles({ 'V1_1__add_x.sql': 'SELECT 1;', 'U1_1__add_x.sql': 'SELECT 2;' });

    expect(migration!.name).toBe('V1_1__add_x');
    expect(migration!.down).toBeDefined();
  });

  it('refuses versions whose name order is not their version order, saying to pad them', async () => {
    expect(await refusal({ 'V2__b.sql': 'SELECT 2;', 'V10__a.sql': 'SELECT 10;' })).toMatch(
      /V10__a\.sql sorts before .*V2__b\.sql by name, the order Kysely runs migrations in, but Flyway runs it later by version: give the versions one width \(V001__, V002__, \.\.\., V010__\) so that both orders agree$/,
    );
  });

  it('names the versioned file an undo without one lacks', async () => {
    expect(await refusal({ 'U3__c.sql': 'SELECT 3;' })).toMatch(
      /U3__c\.sql has no matching up file \(such as V3__c\.sql\)$/,
    );
  });

  it('refuses a repeatable R__x.sql, which has no place in an ordered history', async () => {
    expect(await refusal({ 'R__refresh_views.sql': 'SELECT 1;' })).toMatch(
      /R__refresh_views\.sql is a Flyway repeatable migration, which has no place in an ordered history of ups and downs: move it out of the migrations folder, or make it a versioned V<n>__ one$/,
    );
  });
});

describe('loadMigrations with dialect variant infixes', () => {
  it('reads pg and postgresql as postgres, mariadb as mysql, each winning over the generic file', async () => {
    const files = {
      '001_a.up.sql': 'SELECT 0;',
      '001_a.pg.up.sql': 'SELECT 1;',
      '002_b.postgresql.sql': 'SELECT 2;',
      '003_c.mariadb.up.sql': 'SELECT 3;',
    };

    expect((await loadFiles(files, 'postgres')).map((m) => m.source.path.split('/').at(-1))).toEqual([
      '001_a.pg.up.sql',
      '002_b.postgresql.sql',
    ]);
    expect((await loadFiles(files, 'mysql')).map((m) => m.source.path.split('/').at(-1))).toEqual([
      '001_a.up.sql',
      '003_c.mariadb.up.sql',
    ]);
  });
});
