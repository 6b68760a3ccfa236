import { expect, test } from 'vitest';
import type { MigrationResult } from '../../src/core/model/migration-result.ts';
import { buildSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { pendingDemands } from '../../src/core/parts/target/pending-demands.ts';

/** The target: users (id, username); no nickname column yet. */
const TARGET = buildSnapshot('postgres', [
  { kind: 'table', name: 'users', attributes: {} },
  { kind: 'column', name: 'users.id', table: 'users', attributes: { nullable: false } },
  { kind: 'column', name: 'users.username', table: 'users', attributes: { nullable: true } },
]);

function result(name: string, up: string[], rowDemands: MigrationResult['rowDemands']): MigrationResult {
  return {
    name,
    status: 'reversible',
    file: `migrations/${name}.sql`,
    timings: {},
    statements: { up: up.map((sql) => ({ sql, durationMs: 1 })), down: [] },
    ...(rowDemands === undefined ? {} : { rowDemands }),
  };
}

const USERNAME = { kind: 'not-null', table: 'users', column: 'username' } as const;
const NICKNAME = { kind: 'not-null', table: 'users', column: 'nickname' } as const;

test('only pending migrations count, and only demands on columns the target has', () => {
  const results = [
    result('0001_applied', [], [USERNAME]),
    result('0002_pending', ['alter table users add column nickname text'], [NICKNAME, USERNAME]),
  ];
  expect(pendingDemands(['0002_pending'], results, TARGET)).toEqual([
    { migration: '0002_pending', demand: USERNAME },
  ]);
});

test('a write to the table in this or an earlier pending migration, after comments, marks a backfill', () => {
  const results = [
    result(
      '0002_backfill',
      ['-- fill the gaps\n/* first */ UPDATE "users" SET username = \'?\' WHERE username IS NULL'],
      [],
    ),
    result('0003_not_null', ['alter table users alter column username set not null'], [USERNAME]),
  ];
  expect(pendingDemands(['0002_backfill', '0003_not_null'], results, TARGET)).toEqual([
    { migration: '0003_not_null', demand: USERNAME, writtenBy: '0002_backfill' },
  ]);
  // A write to another table whose name merely contains this one's is no backfill.
  const other = [
    result(
      '0003_not_null',
      ['update users_archive set username = null', 'alter table users alter column username set not null'],
      [USERNAME],
    ),
  ];
  expect(pendingDemands(['0003_not_null'], other, TARGET)).toEqual([
    { migration: '0003_not_null', demand: USERNAME },
  ]);
});
