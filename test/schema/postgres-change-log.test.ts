import { describe, expect, it } from 'vitest';
import type { DroppedRow, LogRow } from '../../src/core/parts/schema/postgres-change-log.ts';
import { goneOwners, scopeOfLog } from '../../src/core/parts/schema/postgres-change-log.ts';
import { buildSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import type { SchemaObject } from '../../src/core/parts/schema/snapshot.ts';

const table = (name: string, attributes: SchemaObject['attributes'] = {}): SchemaObject => ({
  kind: 'table',
  name,
  attributes,
});

const before = buildSnapshot('postgres', [
  table('posts'),
  table('audit.log'),
  table('events_2024', { partitionOf: 'events' }),
  table('events'),
  { kind: 'index', name: 'posts_title_idx', table: 'posts', attributes: {} },
  { kind: 'index', name: 'log_at_idx', table: 'audit.log', attributes: {} },
  { kind: 'function', name: 'slugify(text)', attributes: {} },
  { kind: 'function', name: 'slugify(text, integer)', attributes: {} },
]);

function dropped(row: Partial<DroppedRow>): LogRow {
  return {
    source: 'dropped',
    data: {
      catalog: null,
      object_type: null,
      schema_name: null,
      object_name: null,
      address_names: null,
      owner: null,
      ...row,
    },
  };
}

function owners(rows: readonly LogRow[]): string[] {
  const scope = scopeOfLog(rows, before);
  if (scope.everything) throw new Error(`expected owners, got everything: ${scope.reason}`);
  return [...scope.owners].sort();
}

describe("the Postgres change tracker's log", () => {
  it('names the touched owners, always with every event trigger', () => {
    expect(owners([{ source: 'touched', data: 'relation:posts' }])).toEqual(['event:*', 'relation:posts']);
  });

  it('asks for a full read when a statement could not be traced', () => {
    expect(
      scopeOfLog([{ source: 'unknown', data: 'ALTER SCHEMA changes objects it does not report' }], before),
    ).toEqual({ everything: true, reason: 'ALTER SCHEMA changes objects it does not report' });
  });

  it("finds a dropped index's table in the snapshot from before, within the index's schema", () => {
    const index = (schema: string, name: string) =>
      dropped({ catalog: 'pg_class', object_type: 'index', schema_name: schema, object_name: name });
    expect(owners([index('public', 'posts_title_idx')])).toEqual(['event:*', 'relation:posts']);
    expect(owners([index('audit', 'log_at_idx')])).toEqual(['event:*', 'relation:audit.log']);
    expect(owners([index('other', 'log_at_idx')])).toEqual(['event:*']);
  });

  it("takes a dropped column's table from its address", () => {
    const column = dropped({
      catalog: 'pg_class',
      object_type: 'table column',
      address_names: ['audit', 'log', 'at'],
    });
    expect(owners([column])).toEqual(['event:*', 'relation:audit.log']);
  });

  it('takes the owner the trigger told, else every overload of a dropped function by name', () => {
    expect(owners([dropped({ catalog: 'pg_proc', owner: 'function:slugify(text)' })])).toEqual([
      'event:*',
      'function:slugify(text)',
    ]);
    expect(owners([dropped({ catalog: 'pg_proc', address_names: ['public', 'slugify'] })])).toEqual([
      'event:*',
      'function:slugify(text)',
      'function:slugify(text, integer)',
    ]);
  });

  it('ignores dropped objects no snapshot records, and those of system schemas', () => {
    expect(owners([dropped({ catalog: 'pg_policy', object_type: 'policy' })])).toEqual(['event:*']);
    expect(
      owners([
        dropped({ catalog: 'pg_class', object_type: 'table', schema_name: 'pg_temp_3', object_name: 't' }),
      ]),
    ).toEqual(['event:*']);
  });

  it('asks for a full read when a dropped object cannot be traced to an owner', () => {
    expect(scopeOfLog([dropped({ catalog: 'pg_unheard_of', object_type: 'gizmo' })], before)).toEqual({
      everything: true,
      reason: 'cannot tell the owner of a dropped gizmo',
    });
  });

  it("adds a touched table's former partitions and children, whose parent changed under them", () => {
    expect(owners([{ source: 'touched', data: 'relation:events' }])).toEqual([
      'event:*',
      'relation:events',
      'relation:events_2024',
    ]);
  });

  it('tells the owners dropped themselves from those that lost a part', () => {
    const gone = goneOwners(
      [
        dropped({ catalog: 'pg_class', object_type: 'table', schema_name: 'public', object_name: 'posts' }),
        dropped({ catalog: 'pg_class', object_type: 'table column', address_names: ['audit', 'log', 'at'] }),
        dropped({ catalog: 'pg_proc', address_names: ['public', 'slugify'] }),
      ],
      before,
    );
    expect([...gone]).toEqual(['relation:posts']);
  });
});
