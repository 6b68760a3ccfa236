import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Logger } from '../../src/core/model/logger.ts';
import { createEmbeddedThrowaway } from '../../src/core/parts/throwaway/embedded-throwaway.ts';
import { cacheDirectory } from '../../src/core/parts/throwaway/cache-file.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';

/** A logger that keeps the debug lines: they say where the data directory came from. */
function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, info: () => {}, warn: () => {}, debug: (message) => lines.push(message) };
}

async function userTables(db: Kysely<any>): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_schema || '.' || table_name as name from information_schema.tables
    where table_schema not in ('pg_catalog', 'information_schema') order by 1`.execute(db);
  return result.rows.map((row) => row.name);
}

describe('the cache folder', () => {
  test('is MIGRATION_GATE_CACHE_DIR when set', () => {
    expect(cacheDirectory({ MIGRATION_GATE_CACHE_DIR: '/srv/cache', XDG_CACHE_HOME: '/xdg' })).toBe(
      '/srv/cache',
    );
  });

  test('is $XDG_CACHE_HOME/migration-gate otherwise, ignoring a relative XDG_CACHE_HOME', () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/migration-gate');
    expect(cacheDirectory({ XDG_CACHE_HOME: 'relative' })).toBe(join(homedir(), '.cache', 'migration-gate'));
  });

  test('is ~/.cache/migration-gate by default', () => {
    expect(cacheDirectory({})).toBe(join(homedir(), '.cache', 'migration-gate'));
  });
});

// One cache folder for the whole file, so only the first start (and the corrupt-file case)
// pays for initdb; the tests run in order and the first one expects an empty folder.
describe('the embedded throwaway database', () => {
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'migration-gate-pglite-cache-'));
    vi.stubEnv('MIGRATION_GATE_CACHE_DIR', cacheDir);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(cacheDir, { recursive: true, force: true });
  });

  async function start(logger: Logger, extensions: string[] = []): Promise<ThrowawayDatabase> {
    return createEmbeddedThrowaway({ dialect: 'postgres', logger, extensions });
  }

  async function cacheFiles(): Promise<string[]> {
    return (await readdir(cacheDir)).filter((name) => !name.endsWith('.tmp')).sort();
  }

  test('writes the pristine data directory to the cache folder on the first start', async () => {
    const logger = recordingLogger();
    await using throwaway = await start(logger);
    expect(await cacheFiles()).toEqual([
      expect.stringMatching(/^pglite-\d+\.\d+\.\d+.*-data-dir\.tar$/),
      expect.stringMatching(/^pglite-\d+\.\d+\.\d+.*-data-dir\.tar\.server-version$/),
    ]);
    expect(logger.lines.join('\n')).toContain('cached the pristine PGlite data directory');
    expect(await userTables(throwaway.db)).toEqual([]);
  });

  test('starts from the cached data directory on the second start', async () => {
    const logger = recordingLogger();
    const queries: string[] = [];
    await using throwaway = await createEmbeddedThrowaway({
      dialect: 'postgres',
      logger,
      log: (event) => void queries.push(event.query.sql),
    });
    expect(logger.lines.join('\n')).toContain('starts from the cached data directory');
    expect(logger.lines.join('\n')).not.toContain('cached the pristine');
    // Its engine version was cached beside it: nothing started until the first query.
    expect(logger.lines).not.toContain('started embedded PGlite');
    expect(throwaway.description).toMatch(/^embedded PGlite \(PostgreSQL \d+/);
    expect(throwaway.serverVersion).toMatch(/^\d+\.\d+/);
    // The Kysely log hook reaches the connection, for SQL capture.
    await sql`select 1`.execute(throwaway.db);
    expect(queries).toContain('select 1');
    expect(logger.lines).toContain('started embedded PGlite');
  });

  test('the citext extension mentioned by the migrations is available', async () => {
    await using throwaway = await start(recordingLogger(), ['citext']);
    await sql`create extension citext`.execute(throwaway.db);
    const result = await sql<{ same: boolean }>`select 'Ada'::citext = 'ADA'::citext as same`.execute(
      throwaway.db,
    );
    expect(result.rows).toEqual([{ same: true }]);
  });

  test('reset gives an empty database: a table created before the reset is gone', async () => {
    await using throwaway = await start(recordingLogger());
    await sql`create table leftover (id integer primary key)`.execute(throwaway.db);
    await sql`create schema stray`.execute(throwaway.db);
    expect(await userTables(throwaway.db)).toEqual(['public.leftover']);
    const db = await throwaway.reset();
    expect(db).toBe(throwaway.db);
    expect(await userTables(db)).toEqual([]);
    const schemas = await sql<{ nspname: string }>`
      select nspname from pg_namespace where nspname = 'stray'`.execute(db);
    expect(schemas.rows).toEqual([]);
  });

  test('reset keeps the loaded extensions working', async () => {
    await using throwaway = await start(recordingLogger(), ['citext']);
    await sql`create extension citext`.execute(throwaway.db);
    const db = await throwaway.reset();
    const installed = await sql<{ extname: string }>`select extname from pg_extension order by 1`.execute(db);
    expect(installed.rows).toEqual([{ extname: 'plpgsql' }]);
    await sql`create extension citext`.execute(db);
    const result = await sql<{ same: boolean }>`select 'Ada'::citext = 'ADA'::citext as same`.execute(db);
    expect(result.rows).toEqual([{ same: true }]);
  });

  test('reset still gives an empty database when another run replaced the cache file it started from', async () => {
    const logger = recordingLogger();
    await using throwaway = await start(logger);
    await sql`create table leftover (id integer primary key)`.execute(throwaway.db);
    const [name] = await cacheFiles();
    if (name === undefined) throw new Error('the first start left no cache file');
    const file = join(cacheDir, name);
    // As a concurrent first run does: the same content, written anew under the same name.
    const copy = `${file}.replacing`;
    await writeFile(copy, await readFile(file));
    await rename(copy, file);

    const db = await throwaway.reset();
    expect(await userTables(db)).toEqual([]);
  });

  test('explains a missing extension with the throwaway kinds that can provide it', async () => {
    await using throwaway = await start(recordingLogger());
    const error = await sql`create extension postgis`.execute(throwaway.db).catch((e: unknown) => e);
    const hint = throwaway.explainError(error);
    expect(hint).toContain('cannot provide extension postgis');
    expect(hint).toContain('--throwaway server');
    expect(hint).toContain('--throwaway container');
  });

  test('a corrupt cache file is replaced and the start still works', async () => {
    const [name, versionName] = await cacheFiles();
    if (name === undefined) throw new Error('the first start left no cache file');
    const file = join(cacheDir, name);
    // Cut in half, as a full disk or a killed copy would leave it.
    const good = await readFile(file);
    await writeFile(file, good.subarray(0, good.length / 2));

    const logger = recordingLogger();
    {
      await using throwaway = await start(logger);
      // Read when the first instance starts, at the first query.
      expect(await userTables(throwaway.db)).toEqual([]);
      expect(logger.lines.join('\n')).toContain('checksum mismatch');
      expect(logger.lines.join('\n')).toContain('cached the pristine PGlite data directory');
    }
    expect(await cacheFiles()).toEqual([name, versionName]);
    expect((await readFile(file)).length).toBe(good.length);

    const next = recordingLogger();
    await using cached = await start(next);
    expect(next.lines.join('\n')).toContain('starts from the cached data directory');
    expect(await userTables(cached.db)).toEqual([]);
  });
});
