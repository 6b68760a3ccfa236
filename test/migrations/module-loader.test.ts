import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as kysely from 'kysely';
import * as postgresHelpers from 'kysely/helpers/postgres';
import { describe, expect, it } from 'vitest';
import { createModuleLoader } from '../../src/core/parts/migrations/module-loader.ts';
import { temporaryFolder } from './fixtures.ts';

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
});
