import { describe, expect, it } from 'vitest';
import {
  readableByName,
  readScope,
  scopeJson,
  wantsNothing,
  wantsObject,
} from '../../src/core/parts/schema/postgres-snapshot-scope.ts';

describe('the scope of a Postgres snapshot', () => {
  it('is the whole catalog without owners', () => {
    const scope = readScope(undefined);
    expect(scope.full).toBe(true);
    expect(wantsNothing(scope)).toBe(false);
    expect(readableByName(scope)).toBe(false);
    expect(wantsObject(scope, 'function', 'anything(int4)')).toBe(true);
  });

  it('splits owner keys at their first colon, since names may contain colons', () => {
    const scope = readScope(new Set(['relation:audit.log:2024', 'function:public.f(text)']));
    expect(scope.names.get('relation')).toEqual(['audit.log:2024']);
    expect(wantsObject(scope, 'index', 'audit.log:2024')).toBe(true);
    expect(wantsObject(scope, 'table', 'audit.log')).toBe(false);
  });

  it('reads the objects of a relation owner under every relation-owned kind', () => {
    const scope = readScope(new Set(['relation:posts']));
    for (const kind of ['table', 'view', 'sequence', 'column', 'constraint', 'index', 'trigger'] as const)
      expect(wantsObject(scope, kind, 'posts')).toBe(true);
    expect(wantsObject(scope, 'type', 'posts')).toBe(false);
  });

  it('takes `kind:*` as every object of a kind, but `relation:*` as a relation named *', () => {
    const scope = readScope(new Set(['type:*', 'relation:*']));
    expect([...scope.everyKind]).toEqual(['type']);
    expect(scope.names.get('relation')).toEqual(['*']);
    expect(wantsObject(scope, 'type', 'mood')).toBe(true);
    expect(wantsObject(scope, 'table', 'posts')).toBe(false);
  });

  it('wants nothing from no owners, or from keys no object can have', () => {
    expect(wantsNothing(readScope(new Set()))).toBe(true);
    expect(wantsNothing(readScope(new Set(['no colon', 'policy:p'])))).toBe(true);
    expect(wantsNothing(readScope(new Set(['event:*'])))).toBe(false);
  });

  it('is read by name unless a kind other than event triggers is wanted whole', () => {
    expect(readableByName(readScope(new Set(['relation:posts', 'event:*'])))).toBe(true);
    expect(readableByName(readScope(new Set(['relation:posts', 'type:*'])))).toBe(false);
  });

  it('reaches the scoped query as the owner keys themselves', () => {
    expect(JSON.parse(scopeJson(new Set(['relation:posts', 'event:*'])))).toEqual([
      'relation:posts',
      'event:*',
    ]);
  });
});
