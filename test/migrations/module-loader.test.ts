import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as kysely from 'kysely';
import * as postgresHelpers from 'kysely/helpers/postgres';
import { describe, expect, it } from 'vitest';
import { createModuleLoader } from '../../src/core/parts/migrations/module-loader.ts';
import { temporaryFolder } from './fixtures.ts';
import { recordingDatabase } from './fake-database.ts';

describe('createModuleLoader', () => {
  it("gives migrations the engine's own kysely module, wherever the migration folder is", async () => {
    await using folder = await temporaryFolder();
    const file = join(folder.path, 'exports-kysely.ts');
    await writeFile(
      file,
      [
        "import { sql } from 'kysely';",
        "import { jsonArrayFrom } from 'kysely/helpers/postgres';",
        'export const found = { sql, jsonArrayFrom };',
      ].join('\n'),
    );

    const found = (await createModuleLoader().load(file))['found'] as Record<string, unknown>;

    expect(found['sql']).toBe(kysely.sql);
    expect(found['jsonArrayFrom']).toBe(postgresHelpers.jsonArrayFrom);
  });

  it("gives the engine's kysely to a migration whose project holds another copy: instanceof holds", async () => {
    await using folder = await temporaryFolder();
    // The project's own kysely, another copy with its own classes, as an older or newer install.
    const own = join(folder.path, 'node_modules/kysely');
    await mkdir(own, { recursive: true });
    await writeFile(
      join(own, 'package.json'),
      JSON.stringify({ name: 'kysely', version: '0.0.1', main: 'index.js' }),
    );
    await writeFile(
      join(own, 'index.js'),
      'exports.PostgresAdapter = class PostgresAdapter {};\nexports.sql = () => {};\n',
    );
    const migration = [
      "import { PostgresAdapter } from 'kysely';",
      'export function isPostgres(db: any): boolean { return db.getExecutor().adapter instanceof PostgresAdapter; }',
    ].join('\n');
    await writeFile(join(folder.path, 'sync.ts'), migration);
    // Top-level await sends jiti down its asynchronous path: the same kysely there too.
    await writeFile(join(folder.path, 'async.ts'), `${migration}\nawait Promise.resolve();\n`);
    const { db } = recordingDatabase();

    for (const file of ['sync.ts', 'async.ts']) {
      const isPostgres = (await createModuleLoader().load(join(folder.path, file)))['isPostgres'] as (
        db: unknown,
      ) => boolean;
      expect(isPostgres(db), file).toBe(true);
    }
  });
});
