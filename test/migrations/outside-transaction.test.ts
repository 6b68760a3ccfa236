import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { reasonToLeaveTransaction } from '../../src/core/parts/migrations/outside-transaction.ts';
import { temporaryFolder } from './fixtures.ts';

async function loadOne(up: string, dialect: 'postgres' | 'mysql' = 'postgres') {
  await using folder = await temporaryFolder();
  await writeFile(join(folder.path, '001_a.up.sql'), up);
  const [migration] = await loadMigrations({ path: folder.path, dialect });
  return migration!;
}

describe('SQL migrations whose statements Postgres refuses inside a transaction', () => {
  it.each([
    ['CREATE UNIQUE INDEX CONCURRENTLY i ON t (a);', 'CREATE INDEX CONCURRENTLY (line 1)'],
    ['SELECT 1;\nDROP INDEX CONCURRENTLY IF EXISTS i;', 'DROP INDEX CONCURRENTLY (line 2)'],
    ['REINDEX (VERBOSE) TABLE CONCURRENTLY t;', 'REINDEX … CONCURRENTLY (line 1)'],
    ['VACUUM (ANALYZE) t;', 'VACUUM (line 1)'],
    ["ALTER SYSTEM SET work_mem = '64MB';", 'ALTER SYSTEM (line 1)'],
    ['CREATE DATABASE reports;', 'CREATE DATABASE (line 1)'],
  ])('run outside one without a directive: %s', async (up, what) => {
    const migration = await loadOne(up);
    expect(migration.transactional).toBe(false);
    expect(migration.outsideTransaction).toBe(`${what} cannot run inside a transaction`);
  });

  it('run outside one when a value ALTER TYPE adds is used later in the migration', async () => {
    const migration = await loadOne(
      "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'calm';\nUPDATE people SET mood = 'calm';",
    );
    expect(migration.outsideTransaction).toBe(
      "ALTER TYPE … ADD VALUE 'calm' (line 1) is used on line 2, which Postgres refuses in the transaction that added the value",
    );
  });

  it('stay in a transaction when an added enum value is not used, or the words are only in comments and strings', async () => {
    for (const up of [
      "ALTER TYPE mood ADD VALUE 'calm';",
      "-- CREATE INDEX CONCURRENTLY later\nSELECT 'VACUUM';\nCREATE INDEX i ON t (a);",
    ]) {
      const migration = await loadOne(up);
      expect(migration.transactional, up).toBe(true);
      expect(migration, up).not.toHaveProperty('outsideTransaction');
    }
  });

  it('are not told apart on MySQL, where no migration runs in a transaction', async () => {
    expect(await loadOne('VACUUM;', 'mysql')).not.toHaveProperty('outsideTransaction');
  });
});

describe('steps a transaction refused', () => {
  it("run again outside it after Kysely's refusal of a nested transaction, or Postgres's 25001 and 55P04", () => {
    const postgres = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(
      reasonToLeaveTransaction(
        new Error('calling the transaction method for a Transaction is not supported'),
      ),
    ).toBe('it opens its own transaction');
    expect(
      reasonToLeaveTransaction(postgres('25001', 'ALTER TYPE ... ADD cannot run inside a transaction block')),
    ).toBe('ALTER TYPE ... ADD cannot run inside a transaction block');
    expect(
      reasonToLeaveTransaction(
        new Error('wrapped', {
          cause: postgres('55P04', 'unsafe use of new value "calm" of enum type mood'),
        }),
      ),
    ).toBe('unsafe use of new value "calm" of enum type mood');
  });

  it('fail as they are for any other error', () => {
    expect(
      reasonToLeaveTransaction(Object.assign(new Error('relation "t" does not exist'), { code: '42P01' })),
    ).toBe(undefined);
  });
});
