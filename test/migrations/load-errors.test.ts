import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/model/errors.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { fixture, temporaryFolder } from './fixtures.ts';

async function loadError(path: string): Promise<UsageError> {
  const error: unknown = await loadMigrations({ path, dialect: 'postgres' }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

/** How messages show a fixture path: relative to the working directory. */
function shown(...segments: string[]): string {
  return relative(process.cwd(), fixture(...segments));
}

describe('loadMigrations errors', () => {
  it('names a migrations folder that does not exist, as the user wrote it', async () => {
    const error = await loadError('./no/such/migrations');

    expect(error.message).toBe('migrations folder ./no/such/migrations does not exist');
    expect(error.file).toBe(join(process.cwd(), 'no/such/migrations'));
  });

  it('names an index module file that does not exist', async () => {
    const error = await loadError('./db/missing-index.ts');

    expect(error.message).toBe('migrations index module ./db/missing-index.ts does not exist');
  });

  it('refuses a path that is a file but not a module', async () => {
    const error = await loadError(fixture('sql-formats', '003_tags.sql'));

    expect(error.message).toMatch(/is neither a folder nor an index module$/);
  });

  it('names a module that exports no up function', async () => {
    const error = await loadError(fixture('error-no-up'));

    expect(error.message).toBe(
      `migration module ${shown('error-no-up', '001_only_down.ts')} has no up function`,
    );
    expect(error.file).toBe(fixture('error-no-up', '001_only_down.ts'));
  });

  it('refuses a transaction export that is neither true nor false', async () => {
    const error = await loadError(fixture('error-bad-conventions'));

    expect(error.message).toMatch(/001_bad\.ts: transaction must be true or false$/);
  });

  it('reports a syntax error in a module with its file and line', async () => {
    const error = await loadError(fixture('broken-syntax'));

    expect(error.file).toBe(fixture('broken-syntax', '001_broken.js'));
    expect(error.line).toBe(6);
    expect(error.message).toMatch(
      new RegExp(
        `^cannot load migration module ${shown('broken-syntax', '001_broken.js')}:6: .*Unexpected token`,
      ),
    );
  });

  it('reports a syntax error in a TypeScript module with its line', async () => {
    await using folder = await temporaryFolder();
    const file = join(folder.path, '001_broken.ts');
    await writeFile(
      file,
      'interface A {\n  a: number;\n}\n\nexport async function up(): Promise<void> {\n  const = 1;\n}\n',
    );

    const error = await loadError(folder.path);

    expect(error).toMatchObject({ file, line: 6 });
    expect(error.message).toContain(`${file}:6: syntax error: `);
  });

  it('reports a syntax error in a file an index module imports with that file and its line', async () => {
    await using folder = await temporaryFolder();
    const file = join(folder.path, '001_broken.ts');
    await writeFile(join(folder.path, 'index.ts'), "export * as _001 from './001_broken.js';\n");
    await writeFile(file, 'export async function up(): Promise<void> {\n  await;\n}\n');

    const error = await loadError(folder.path);

    expect(error).toMatchObject({ file, line: 2 });
  });

  it('reports an error thrown while a module loads with the line that threw', async () => {
    const error = await loadError(fixture('error-load-throws'));

    expect(error).toMatchObject({ file: fixture('error-load-throws', '001_throws.ts'), line: 7 });
    expect(error.message).toBe(
      `cannot load migration module ${shown('error-load-throws', '001_throws.ts')}:7: configuration refused at load time`,
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('names both files of two modules with the same migration name', async () => {
    const error = await loadError(fixture('error-duplicate-modules'));

    expect(error.message).toBe(
      `duplicate migration name 001_a: ${shown('error-duplicate-modules', '001_a.js')} and ` +
        `${shown('error-duplicate-modules', '001_a.ts')}`,
    );
  });

  it('names both files of a module and SQL files with the same migration name', async () => {
    const error = await loadError(fixture('error-duplicate-mixed'));

    expect(error.message).toBe(
      `duplicate migration name 001_a: ${shown('error-duplicate-mixed', '001_a.ts')} and ` +
        `${shown('error-duplicate-mixed', '001_a.up.sql')}`,
    );
  });

  it('names both files of two SQL files giving the same migration its up', async () => {
    const error = await loadError(fixture('error-duplicate-sql'));

    expect(error.message).toBe(
      `duplicate migration name 001_a: ${shown('error-duplicate-sql', '001_a.sql')} and ` +
        `${shown('error-duplicate-sql', '001_a.up.sql')} both define its up`,
    );
  });

  it('names a .down.sql file that has no matching up', async () => {
    const error = await loadError(fixture('error-orphan-down'));

    expect(error.message).toBe(
      `${shown('error-orphan-down', '002_b.down.sql')} has no matching up file (such as 002_b.up.sql)`,
    );
    expect(error.file).toBe(fixture('error-orphan-down', '002_b.down.sql'));
  });

  it('refuses a dbmate file with a -- migrate:down line but no -- migrate:up', async () => {
    const error = await loadError(fixture('error-dbmate-down-only'));

    expect(error).toMatchObject({ file: fixture('error-dbmate-down-only', '001_a.sql'), line: 3 });
  });

  it('refuses an index module that exports nothing usable', async () => {
    const error = await loadError(fixture('error-index-nothing'));

    expect(error.message).toMatch(
      new RegExp(`^index module ${shown('error-index-nothing', 'index.ts')} exports no migrations`),
    );
    expect(error.file).toBe(fixture('error-index-nothing', 'index.ts'));
  });

  it('names an index-module export that is not a migration instead of skipping it', async () => {
    const error = await loadError(fixture('error-index-bad-entry'));

    expect(error.message).toBe(
      `export _002 of ${shown('error-index-bad-entry', 'index.ts')} is an object with no up function (keys: upp): ` +
        'an index module exports migrations (objects with an up function) or arrays or records of them; move anything else out of it',
    );
  });
});
