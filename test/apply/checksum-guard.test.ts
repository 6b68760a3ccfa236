import { expect, test } from 'vitest';
import { checkChecksums } from '../../src/core/parts/target/checksum-guard.ts';
import type { ChecksumRow } from '../../src/core/parts/target/checksum-table.ts';
import type { Migration } from '../../src/core/parts/migrations/migration.ts';

function migration(name: string, checksum: string): Migration {
  return {
    name,
    checksum,
    source: { format: 'module', path: `/m/${name}.ts` },
    up: async () => {},
    down: async () => {},
    irreversible: undefined,
    transactional: true,
    empty: { up: false, down: false },
    acknowledged: new Map(),
  };
}

function row(name: string, sourceChecksum: string, sqlChecksum: string | null): ChecksumRow {
  return { name, sourceChecksum, sqlChecksum, appliedAt: '2026-01-01T00:00:00.000Z', appliedBy: 'test' };
}

test('an applied migration matches when its source and emitted SQL are what was recorded', () => {
  const verdict = checkChecksums(
    ['a'],
    [migration('a', 's1')],
    new Map([['a', row('a', 's1', 'q1')]]),
    new Map([['a', 'q1']]),
  );
  expect(verdict).toEqual({ mismatches: [], adopted: [] });
});

test('names what changed: the source, the emitted SQL, or both', () => {
  const verdict = checkChecksums(
    ['a', 'b', 'c'],
    [migration('a', 's1-edited'), migration('b', 's2'), migration('c', 's3-edited')],
    new Map([
      ['a', row('a', 's1', 'q1')],
      ['b', row('b', 's2', 'q2')],
      ['c', row('c', 's3', 'q3')],
    ]),
    new Map([
      ['a', 'q1'],
      ['b', 'q2-changed'],
      ['c', 'q3-changed'],
    ]),
  );
  expect(verdict.mismatches.map((m) => [m.name, m.changed])).toEqual([
    ['a', ['source']],
    ['b', ['emitted-sql']],
    ['c', ['source', 'emitted-sql']],
  ]);
  expect(verdict.mismatches[2]?.message).toBe(
    'c was edited after it was applied: its source and the SQL it emits changed; write a new migration instead',
  );
});

test('adopts an applied migration without a row, and refuses one whose file is gone', () => {
  const verdict = checkChecksums(['a', 'gone'], [migration('a', 's1')], new Map(), new Map());
  expect(verdict.adopted).toEqual(['a']);
  expect(verdict.mismatches).toEqual([expect.objectContaining({ name: 'gone', changed: ['missing-file'] })]);
});
