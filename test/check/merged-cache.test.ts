import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult, ProofMode } from '../../src/core/model/check-result.ts';
import type { Logger } from '../../src/core/model/logger.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { mergedStateKey } from '../../src/core/parts/proof/merged-cache.ts';
import { proveMigrations } from '../../src/core/parts/proof/prove.ts';
import { createChangeTracker, createSnapshotter } from '../../src/core/parts/schema/create-snapshotter.ts';
import type { StateCache } from '../../src/core/parts/throwaway/state-cache.ts';
import { stateCacheIn } from '../../src/core/parts/throwaway/state-cache.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { AVAILABLE_ENGINES, dialectOf, openTestThrowaway } from '../support/engines.ts';
import { REPO_ROOT } from './check-fixture.ts';

const table = (name: string) =>
  `-- migrate:up\ncreate table ${name} (id int primary key, title text);\n-- migrate:down\ndrop table ${name};\n`;

/** Three merged migrations and one under proof, as a pull request adds it. */
const HISTORY: Readonly<Record<string, string>> = {
  '001_authors.sql': table('authors'),
  '002_books.sql': table('books'),
  '003_shelves.sql': `-- migrate:up\ncreate table shelves (id int primary key);\ninsert into shelves values (1);\n-- migrate:down\ndrop table shelves;\n`,
  '004_new_loans.sql': `-- migrate:up\nalter table books add column loaned boolean;\n-- migrate:down\nalter table books drop column loaned;\n`,
};

/** A logger keeping the info lines (they say whether the merged history was restored) and the debug lines. */
function recordingLogger(): Logger & { readonly lines: string[]; readonly debugLines: string[] } {
  const lines: string[] = [];
  const debugLines: string[] = [];
  return {
    lines,
    debugLines,
    info: (line) => lines.push(line),
    warn: () => {},
    debug: (line) => debugLines.push(line),
  };
}

/** What a check concluded, without its timings. */
function outcome(check: CheckResult) {
  return {
    ok: check.ok,
    migrations: check.migrations.map(({ name, status, message, changes, dataFindings }) => ({
      name,
      status,
      message,
      changes,
      dataFindings,
    })),
    replayed: check.replayed.map(({ name, status }) => `${name}: ${status}`),
  };
}

describe('the merged history from a cache (embedded PGlite)', () => {
  let work: string;
  let folder: string;
  let cache: StateCache;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'migration-gate-merged-cache-'));
    folder = join(work, 'states');
    cache = stateCacheIn(folder);
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  /** Proves the `_new_` migrations of `files` with the cache, replaying or restoring the others. */
  async function check(
    files: Readonly<Record<string, string>>,
    options: {
      readonly mode?: ProofMode;
      readonly cache?: StateCache | undefined;
      readonly engine?: TestEngine;
    } = {},
  ): Promise<{ result: CheckResult; lines: string[]; debugLines: string[] }> {
    const migrationsPath = await mkdtemp(join(work, 'migrations-'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(migrationsPath, name), text);
    const engine = options.engine ?? 'pglite';
    const dialect = dialectOf(engine);
    const migrations = await loadMigrations({ path: migrationsPath, dialect });
    const logger = recordingLogger();
    await using throwaway = await openTestThrowaway(engine);
    const result = await proveMigrations({
      migrations,
      throwaway,
      snapshotter: createSnapshotter(dialect),
      tracker: createChangeTracker(dialect),
      excludeTables: [],
      isUnderProof: (migration) => migration.name.includes('_new_'),
      logger,
      cwd: REPO_ROOT,
      mode: options.mode ?? 'step',
      seedRows: true,
      ...('cache' in options
        ? options.cache === undefined
          ? {}
          : { mergedCache: options.cache }
        : { mergedCache: cache }),
    });
    return { result, lines: logger.lines, debugLines: logger.debugLines };
  }

  async function stateFiles(): Promise<string[]> {
    return (await readdir(folder)).filter((name) => name.endsWith('.state'));
  }

  test('a second check of the same history restores it instead of replaying, with the same result', async () => {
    const uncached = await check(HISTORY, { cache: undefined });
    const first = await check(HISTORY);
    expect(first.lines).toContain('merged history: cache miss, replaying');
    expect(first.lines).toContain('replaying 3 merged migration(s)...');
    expect(await stateFiles()).toHaveLength(1);

    const second = await check(HISTORY);
    expect(
      second.lines.some((line) =>
        /^merged history: restored 3 migration\(s\) from cache in \d+\.\d s$/.test(line),
      ),
    ).toBe(true);
    expect(second.lines.join('\n')).not.toContain('replaying');
    expect(outcome(second.result)).toEqual(outcome(first.result));
    expect(outcome(second.result)).toEqual(outcome(uncached.result));
    expect(second.result.migrations.map((result) => `${result.name}: ${result.status}`)).toEqual([
      '004_new_loans: reversible',
    ]);
  });

  test('the sequence proof restores the merged history too', async () => {
    const restored = await check(HISTORY, { mode: 'sequence' });
    expect(restored.lines.some((line) => line.startsWith('merged history: restored 3 migration(s)'))).toBe(
      true,
    );
    expect(restored.result.migrations.map((result) => `${result.name}: ${result.status}`)).toEqual([
      '004_new_loans: reversible',
    ]);
  });

  test('a step that fails on existing rows is proven again from the restored state, as without the cache', async () => {
    const files = {
      ...HISTORY,
      '004_new_loans.sql': `-- migrate:up\nalter table books add column label text not null;\n-- migrate:down\nalter table books drop column label;\n`,
    };
    const uncached = await check(files, { cache: undefined });
    await check(files);
    const restored = await check(files);
    expect(restored.lines.some((line) => line.startsWith('merged history: restored 3 migration(s)'))).toBe(
      true,
    );
    expect(outcome(restored.result)).toEqual(outcome(uncached.result));
    // Back before the up without its rows: the merged state loaded, nothing replayed.
    expect(restored.debugLines).toContain('restoring the throwaway database: replaying 0 migration(s)');
    expect(restored.result.migrations[0]?.dataFindings?.map((finding) => finding.id)).toContain(
      'fails-on-existing-rows',
    );
  });

  test('a damaged cache file falls back to a replay, said in one line', async () => {
    const [file] = await stateFiles();
    const bytes = await readFile(join(folder, file!));
    await writeFile(join(folder, file!), bytes.subarray(0, bytes.length - 1000));
    const damaged = await check(HISTORY);
    expect(damaged.lines).toContain(
      'merged history: cached state unusable (checksum mismatch (truncated or damaged)), replaying',
    );
    expect(damaged.lines).toContain('replaying 3 merged migration(s)...');
    expect(damaged.result.ok).toBe(true);
    // The replay wrote a sound state again.
    expect((await check(HISTORY)).lines.some((line) => line.startsWith('merged history: restored'))).toBe(
      true,
    );
  });

  test('a cached state that does not match its snapshot falls back to a replay on a fresh database', async () => {
    const [file] = await stateFiles();
    const key = file!.slice(0, -'.state'.length);
    const read = await cache.read(key);
    if (!read.found) throw new Error(read.reason);
    const { 'table:authors': _authors, ...objects } = read.cached.snapshot.objects;
    await cache.write(key, { ...read.cached, snapshot: { ...read.cached.snapshot, objects } });

    const mismatched = await check(HISTORY);
    expect(mismatched.lines).toContain(
      'merged history: cached state did not match its snapshot (table authors was added), replaying',
    );
    expect(mismatched.lines).toContain('replaying 3 merged migration(s)...');
    expect(mismatched.result.replayed.every((result) => result.status === 'applied')).toBe(true);
    expect(mismatched.result.ok).toBe(true);
  });

  test('a changed merged migration is a cache miss', async () => {
    const changed = await check({
      ...HISTORY,
      '002_books.sql': table('books').replace('title text', 'title varchar(200)'),
    });
    expect(changed.lines).toContain('merged history: cache miss, replaying');
  });

  test('a merged migration that fails on replay leaves nothing in the cache', async () => {
    const before = await stateFiles();
    const failing = await check({
      ...HISTORY,
      '002_books.sql': '-- migrate:up\nselect * from nowhere;\n-- migrate:down\n',
    });
    expect(failing.result.replayed.map((result) => result.status)).toContain('error');
    expect(await stateFiles()).toEqual(before);
  });

  // MySQL/MariaDB keep the schema as a script of SHOW CREATE statements; Postgres servers replay.
  test.runIf(AVAILABLE_ENGINES.includes('mariadb'))(
    'a MariaDB server restores the merged schema from its script, with the same result',
    async () => {
      const files = {
        '001_authors.sql': table('authors'),
        '002_books.sql': `-- migrate:up\ncreate table books (id int primary key, author_id int, constraint books_author foreign key (author_id) references authors (id));\ncreate view book_authors as select books.id, authors.title from books join authors on authors.id = books.author_id;\n-- migrate:down\ndrop view book_authors;\ndrop table books;\n`,
        '003_new_loans.sql': `-- migrate:up\nalter table books add column loaned boolean;\n-- migrate:down\nalter table books drop column loaned;\n`,
      };
      const uncached = await check(files, { engine: 'mariadb', cache: undefined });
      await check(files, { engine: 'mariadb' });
      const restored = await check(files, { engine: 'mariadb' });
      expect(restored.lines.some((line) => line.startsWith('merged history: restored 2 migration(s)'))).toBe(
        true,
      );
      expect(outcome(restored.result)).toEqual(outcome(uncached.result));
    },
  );

  test.runIf(AVAILABLE_ENGINES.includes('mariadb'))(
    'a MariaDB step that fails on existing rows is proven again from the loaded script, as without the cache',
    async () => {
      const files = {
        '001_authors.sql': table('authors'),
        '002_books.sql': table('books'),
        '003_new_unique.sql': `-- migrate:up\ncreate unique index books_title on books (title(50));\n-- migrate:down\ndrop index books_title on books;\n`,
      };
      const uncached = await check(files, { engine: 'mariadb', cache: undefined });
      await check(files, { engine: 'mariadb' });
      const restored = await check(files, { engine: 'mariadb' });
      expect(restored.lines.some((line) => line.startsWith('merged history: restored 2 migration(s)'))).toBe(
        true,
      );
      expect(restored.debugLines).toContain('restoring the throwaway database: replaying 0 migration(s)');
      expect(outcome(restored.result)).toEqual(outcome(uncached.result));
      expect(restored.result.migrations[0]?.dataFindings?.map((finding) => finding.id)).toContain(
        'fails-on-existing-rows',
      );
    },
  );

  test.runIf(AVAILABLE_ENGINES.includes('mariadb'))(
    'a MariaDB database holding rows is not saved: the next check replays',
    async () => {
      await check(HISTORY, { engine: 'mariadb' });
      const next = await check(HISTORY, { engine: 'mariadb' });
      expect(next.lines).toContain('merged history: cache miss, replaying');
      expect(next.result.ok).toBe(true);
    },
  );

  test.runIf(AVAILABLE_ENGINES.includes('postgres'))(
    'a Postgres server replays, saying nothing of the cache',
    async () => {
      const replayed = await check(HISTORY, { engine: 'postgres' });
      expect(replayed.lines.join('\n')).not.toContain('merged history');
      expect(replayed.lines).toContain('replaying 3 merged migration(s)...');
      expect(replayed.result.ok).toBe(true);
    },
  );
});

describe('the key of the merged history', () => {
  const identity = {
    format: 'pglite-0.5.16-data-dir',
    dialect: 'postgres',
    serverVersion: '17.5',
    excludeTables: ['kysely_migration'],
    migrations: [
      { name: '001_a', checksum: 'aa' },
      { name: '002_b', checksum: 'bb' },
    ],
  };

  test('is the same for the same migrations, engine and format', () => {
    expect(mergedStateKey(identity)).toBe(
      mergedStateKey({ ...identity, migrations: [...identity.migrations] }),
    );
    expect(mergedStateKey(identity)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('changes with a migration’s content, name or order, the engine version, the dialect and the format', () => {
    const key = mergedStateKey(identity);
    const [a, b] = identity.migrations;
    for (const other of [
      { ...identity, migrations: [a!, { ...b!, checksum: 'bc' }] },
      { ...identity, migrations: [a!, { ...b!, name: '002_c' }] },
      { ...identity, migrations: [b!, a!] },
      { ...identity, migrations: [a!] },
      { ...identity, serverVersion: '17.6' },
      { ...identity, dialect: 'mysql' },
      { ...identity, format: 'pglite-0.5.17-data-dir' },
      { ...identity, excludeTables: [] },
    ])
      expect(mergedStateKey(other)).not.toBe(key);
  });
});
