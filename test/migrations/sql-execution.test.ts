import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { MigrationStatementError } from '../../src/core/parts/migrations/migration-error.ts';
import { recordingDatabase } from './fake-database.ts';
import { temporaryFolder } from './fixtures.ts';

async function failureOf(step: () => Promise<void>): Promise<MigrationStatementError> {
  const error: unknown = await step().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MigrationStatementError);
  return error as MigrationStatementError;
}

describe('running SQL migrations', () => {
  it('executes each statement through sql.raw on the database it is given', async () => {
    await using folder = await temporaryFolder();
    await writeFile(
      join(folder.path, '001_a.up.sql'),
      'CREATE TABLE a (id int);\nINSERT INTO a VALUES (1); -- one\n',
    );
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'postgres' });
    const { db, queries } = recordingDatabase();

    await migration!.up(db);

    expect(queries).toEqual(['CREATE TABLE a (id int)', 'INSERT INTO a VALUES (1)']);
  });

  it('stops at a failing statement and reports the database message, its file and the line Postgres points at', async () => {
    await using folder = await temporaryFolder();
    const file = join(folder.path, '001_a.up.sql');
    const statement = 'INSERT INTO a\nVALUES (1),\n  (FAIL)';
    await writeFile(
      file,
      `CREATE TABLE a (id int);\n\n-- fails on its third line\n${statement};\nSELECT 1;\n`,
    );
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'postgres' });
    const { db, queries } = recordingDatabase();

    const error = await failureOf(() => migration!.up(db));

    expect(error).toMatchObject({ file, line: 6, statement, message: 'syntax error at or near "FAIL"' });
    expect(error.cause).toBeInstanceOf(Error);
    // Kysely logs only successful queries at the 'query' level: SELECT 1 never ran.
    expect(queries).toEqual(['CREATE TABLE a (id int)']);
  });

  it("reports the statement's first line when the database gives no position", async () => {
    await using folder = await temporaryFolder();
    const file = join(folder.path, '001_a.down.sql');
    await writeFile(join(folder.path, '001_a.up.sql'), 'SELECT 1;\n');
    await writeFile(file, 'SELECT 1;\n\nDROP TABLE\n  MYSQL_FAIL;\n');
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'mysql' });

    const error = await failureOf(() => migration!.down!(recordingDatabase().db));

    expect(error).toMatchObject({ file, line: 3, message: "Table 'app.missing' doesn't exist" });
  });

  it('counts lines from the top of a dbmate file when its down section fails', async () => {
    await using folder = await temporaryFolder();
    const file = join(folder.path, '001_a.sql');
    await writeFile(
      file,
      '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\nDROP FAIL;\n',
    );
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'postgres' });

    const error = await failureOf(() => migration!.down!(recordingDatabase().db));

    expect(error).toMatchObject({ file, line: 6, statement: 'DROP FAIL' });
  });
});
