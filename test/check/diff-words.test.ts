import { describe, expect, it } from 'vitest';
import {
  describeAttributeChange,
  describeChange,
  describeObject,
  diffSnapshots,
  sameSchema,
} from '../../src/core/parts/schema/diff.ts';
import { buildSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import type { SchemaObject, SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';

const users: SchemaObject = { kind: 'table', name: 'users', attributes: { comment: null } };
const email: SchemaObject = {
  kind: 'column',
  name: 'users.email',
  table: 'users',
  attributes: { type: 'varchar(255)', nullable: false, default: null },
  notes: { position: 2 },
};
const posts: SchemaObject = { kind: 'table', name: 'posts', attributes: { comment: null } };
const title: SchemaObject = {
  kind: 'column',
  name: 'posts.title',
  table: 'posts',
  attributes: { type: 'text', nullable: false, default: null },
  notes: { position: 2 },
};
const postsStatusIndex: SchemaObject = {
  kind: 'index',
  name: 'idx_posts_status',
  table: 'posts',
  attributes: { definition: 'btree (status)', unique: false },
};
const postsAuthorFk: SchemaObject = {
  kind: 'constraint',
  name: 'posts_author_fk',
  table: 'posts',
  attributes: { type: 'foreign key', onDelete: 'cascade' },
};

function snapshot(...objects: SchemaObject[]): SchemaSnapshot {
  return buildSnapshot('postgres', objects);
}

function words(before: SchemaSnapshot, after: SchemaSnapshot): string[] {
  return diffSnapshots(before, after).changes.map(describeChange);
}

describe('diffSnapshots and describeChange', () => {
  it('finds no change between equal snapshots, whatever order their objects came in', () => {
    expect(diffSnapshots(snapshot(users, email), snapshot(email, users))).toEqual({ changes: [], notes: [] });
  });

  it('names an added object with its kind, and its table when it belongs to one', () => {
    const before = snapshot(posts, title);
    expect(words(before, snapshot(posts, title, postsStatusIndex))).toEqual([
      'index idx_posts_status on posts was added',
    ]);
  });

  it('names a removed object', () => {
    expect(words(snapshot(users, email, posts, title), snapshot(users, email))).toEqual([
      'table posts was removed',
    ]);
    expect(words(snapshot(posts, title, postsAuthorFk), snapshot(posts, title))).toEqual([
      'constraint posts_author_fk on posts was removed',
    ]);
  });

  it('names a column as table.column, without repeating its table', () => {
    expect(describeObject(email)).toBe('column users.email');
    expect(words(snapshot(users), snapshot(users, email))).toEqual(['column users.email was added']);
  });

  it('puts a changed type in words: varchar(255) became varchar(100)', () => {
    const narrower = { ...email, attributes: { ...email.attributes, type: 'varchar(100)' } };
    expect(words(snapshot(users, email), snapshot(users, narrower))).toEqual([
      'column users.email: varchar(255) became varchar(100)',
    ]);
  });

  it('puts nullability, defaults and flags in words, one clause per attribute in name order', () => {
    const loosened = {
      ...email,
      attributes: { ...email.attributes, nullable: true, default: "'nobody'" },
    };
    expect(words(snapshot(users, email), snapshot(users, loosened))).toEqual([
      "column users.email: no default became default 'nobody'; not null became nullable",
    ]);
    const nowUnique = { ...postsStatusIndex, attributes: { ...postsStatusIndex.attributes, unique: true } };
    expect(words(snapshot(posts, postsStatusIndex), snapshot(posts, nowUnique))).toEqual([
      'index idx_posts_status on posts: not unique became unique',
    ]);
  });

  it('puts a changed foreign key action in words', () => {
    const noAction = { ...postsAuthorFk, attributes: { ...postsAuthorFk.attributes, onDelete: 'no action' } };
    expect(words(snapshot(posts, postsAuthorFk), snapshot(posts, noAction))).toEqual([
      'constraint posts_author_fk on posts: ON DELETE CASCADE became ON DELETE NO ACTION',
    ]);
  });

  it('says "no <attribute>" for an attribute one side lacks', () => {
    expect(describeAttributeChange({ attribute: 'collation', before: undefined, after: 'C' })).toBe(
      'no collation became collation C',
    );
    expect(describeAttributeChange({ attribute: 'type', before: 'integer', after: null })).toBe(
      'integer became no type',
    );
  });

  it('folds the columns, indexes and constraints of a table added as a whole into that table', () => {
    expect(words(snapshot(users), snapshot(users, posts, title, postsStatusIndex, postsAuthorFk))).toEqual([
      'table posts was added',
    ]);
  });

  it('folds the children of a table removed as a whole into that table', () => {
    expect(words(snapshot(users, posts, title, postsStatusIndex), snapshot(users))).toEqual([
      'table posts was removed',
    ]);
  });

  it('does not fold the children of a table that stays: each one is its own difference', () => {
    expect(words(snapshot(posts, title, postsStatusIndex, postsAuthorFk), snapshot(posts))).toEqual([
      'column posts.title was removed',
      'constraint posts_author_fk on posts was removed',
      'index idx_posts_status on posts was removed',
    ]);
  });

  it('folds the indexes of a materialized view removed as a whole', () => {
    const counts: SchemaObject = {
      kind: 'materialized view',
      name: 'post_counts',
      attributes: { definition: 'x' },
    };
    const countsIndex: SchemaObject = {
      kind: 'index',
      name: 'post_counts_author',
      table: 'post_counts',
      attributes: { definition: 'btree (author_id)' },
    };
    expect(words(snapshot(counts, countsIndex), snapshot())).toEqual([
      'materialized view post_counts was removed',
    ]);
  });

  it('keeps notes such as column position out of the verdict, and reports them apart', () => {
    const moved = { ...email, notes: { position: 3 } };
    const diff = diffSnapshots(snapshot(users, email), snapshot(users, moved));
    expect(diff.changes).toEqual([]);
    expect(diff.notes.map(describeChange)).toEqual(['column users.email: position 2 became position 3']);
    expect(sameSchema(snapshot(users, email), snapshot(users, moved))).toBe(true);
  });

  it('reports a real change beside a note on the same object, each in its own list', () => {
    const movedAndNullable = {
      ...email,
      attributes: { ...email.attributes, nullable: true },
      notes: { position: 5 },
    };
    const diff = diffSnapshots(snapshot(users, email), snapshot(users, movedAndNullable));
    expect(diff.changes.map(describeChange)).toEqual(['column users.email: not null became nullable']);
    expect(diff.notes.map(describeChange)).toEqual(['column users.email: position 2 became position 5']);
  });
});
