import { expect, test } from 'vitest';
import { rowCheckMessage } from '../../src/core/parts/target/row-check-words.ts';
import { formatBytes } from '../../src/core/parts/target/table-sizes.ts';
import { tableSizeWords } from '../../src/core/parts/report/table-size-words.ts';

const NOT_NULL = { kind: 'not-null', table: 'users', column: 'username' } as const;
const UNIQUE = { kind: 'unique', table: 'users', columns: ['email'] } as const;

test('a count reads as the failure it foretells, with thousands separated', () => {
  expect(rowCheckMessage(NOT_NULL, { rows: 1204 })).toBe(
    'would fail on the target: 1,204 rows of users have NULL in username',
  );
  expect(rowCheckMessage(NOT_NULL, { rows: 1 })).toBe(
    'would fail on the target: 1 row of users has NULL in username',
  );
  expect(rowCheckMessage(NOT_NULL, { rows: 0 })).toBe(
    'holds on the target: no row of users has NULL in username',
  );
});

test('a sample says so: scaled counts are "about", duplicates in a sample "at least"', () => {
  expect(rowCheckMessage(NOT_NULL, { rows: 12_000, sample: { percent: 1, scaled: true } })).toBe(
    'would fail on the target: about 12,000 rows of users have NULL in username (sample of 1%)',
  );
  expect(rowCheckMessage(UNIQUE, { rows: 4, groups: 2, sample: { percent: 0.4567, scaled: false } })).toBe(
    'would fail on the target: at least 4 rows of users share 2 duplicated values of email (in a sample of 0.46%)',
  );
});

test('a timeout is not counted, and a backfill first makes a count a maybe', () => {
  expect(rowCheckMessage(NOT_NULL, { notCounted: 'timed out after 5 s' })).toBe(
    'not counted (NOT NULL on users.username): timed out after 5 s',
  );
  expect(rowCheckMessage(NOT_NULL, { rows: 3, writtenBy: '0042_backfill' })).toBe(
    'may fail on the target unless the writes of 0042_backfill fix these rows first: 3 rows of users have NULL in username',
  );
});

test('sizes in decimal units, and a duration only where a rewrite or index build is foreseen', () => {
  expect([512, 32_768, 2_100_000, 1_234_000_000].map(formatBytes)).toEqual([
    '512 bytes',
    '32.8 kB',
    '2.1 MB',
    '1.23 GB',
  ]);
  expect(tableSizeWords({ table: 'users', migrations: ['0002_x'], bytes: 32_768 })).toBe(
    'users: rows not estimated (never analyzed), 32.8 kB, changed by 0002_x',
  );
  expect(
    tableSizeWords({
      table: 'users',
      migrations: ['0002_x'],
      rows: 2_400_000,
      bytes: 1_200_000_000,
      estimate: { seconds: 30, because: 'table-rewrite in 0002_x: 1.2 GB at an assumed 40 MB/s' },
    }),
  ).toBe(
    'users: about 2,400,000 rows, 1.2 GB, changed by 0002_x; 30 s to rewrite or index (table-rewrite in 0002_x: 1.2 GB at an assumed 40 MB/s)',
  );
});
