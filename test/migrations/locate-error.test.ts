import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { locateMigrationError } from '../../src/core/parts/migrations/locate-error.ts';
import type { Migration } from '../../src/core/parts/migrations/migration.ts';
import { recordingDatabase } from './fake-database.ts';
import { fixture, temporaryFolder } from './fixtures.ts';

async function thrownBy(step: () => Promise<void>): Promise<unknown> {
  return step().then(
    () => expect.unreachable('the step should have thrown'),
    (thrown: unknown) => thrown,
  );
}

describe('locateMigrationError', () => {
  it('reports the line of a TypeScript migration that throws on line 14', async () => {
    const [migration] = await loadMigrations({ path: fixture('throws-at-line'), dialect: 'postgres' });

    const error = await thrownBy(() => migration!.up(recordingDatabase().db));

    expect(locateMigrationError(error, migration!)).toEqual({
      file: fixture('throws-at-line', '001_throws.ts'),
      line: 14,
    });
  });

  it('uses the file and line of a failing SQL statement', async () => {
    await using folder = await temporaryFolder();
    await writeFile(join(folder.path, '001_a.up.sql'), 'SELECT 1;\n');
    await writeFile(join(folder.path, '001_a.down.sql'), 'SELECT 1;\nDROP TABLE FAIL;\n');
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'postgres' });

    const error = await thrownBy(() => migration!.down!(recordingDatabase().db));

    expect(locateMigrationError(error, migration!)).toEqual({
      file: join(folder.path, '001_a.down.sql'),
      line: 2,
    });
  });

  it('follows the cause chain of an error wrapped by its caller', async () => {
    const [migration] = await loadMigrations({ path: fixture('throws-at-line'), dialect: 'postgres' });
    const cause = await thrownBy(() => migration!.up(recordingDatabase().db));

    const wrapped = new Error('migration 001_throws failed', { cause });

    expect(locateMigrationError(wrapped, migration!)).toMatchObject({ line: 14 });
  });

  it("falls back to the migration's file, with no line, when nothing points into it", () => {
    const migration = { source: { format: 'module', path: '/project/db/001.ts' } } as Migration;

    expect(locateMigrationError('a thrown string', migration)).toEqual({ file: '/project/db/001.ts' });
    expect(locateMigrationError(new Error('elsewhere'), migration)).toEqual({ file: '/project/db/001.ts' });
  });
});
