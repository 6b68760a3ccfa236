import { describe, expect, it } from 'vitest';
import { isEmpty, limited, ReadPlan } from '../../src/core/parts/schema/mysql-read-plan.ts';

describe('what a MySQL snapshot reads', () => {
  it('reads every catalog table whole for a full snapshot', () => {
    const plan = new ReadPlan(undefined);
    expect(plan.tables).toBe('all');
    expect(plan.names('event')).toBe('all');
    expect(plan.wants('anything')).toBe(true);
    expect(plan.derive(false, [], 'index')).toBe('all');
  });

  it('skips the queries about relations when a complete read of TABLES found none', () => {
    expect(new ReadPlan(undefined).derive(true, [], 'trigger')).toEqual([]);
    expect(new ReadPlan(undefined).derive(true, ['posts'], 'trigger')).toBe('all');
  });

  it('reads only the named relations, routines and events of owners', () => {
    const plan = new ReadPlan(new Set(['relation:posts', 'function:slugify', 'event:nightly']));
    expect(plan.tables).toEqual(['posts']);
    expect(plan.wants('posts')).toBe(true);
    expect(plan.wants('users')).toBe(false);
    expect(plan.derive(false, ['posts', 'users'], 'index')).toEqual(['posts']);
    expect(plan.names('function')).toEqual(['slugify']);
    expect(plan.names('event')).toEqual(['nightly']);
    expect(isEmpty(plan.names('procedure'))).toBe(true);
  });

  it('reads all of TABLES when columns or sequences are wanted whole', () => {
    expect(new ReadPlan(new Set(['column:*'])).tables).toBe('all');
    expect(new ReadPlan(new Set(['sequence:*'])).tables).toBe('all');
    expect(new ReadPlan(new Set(['index:*'])).derive(false, ['posts'], 'index')).toBe('all');
  });

  it('reads whole tables rather than list over a thousand names', () => {
    const names = Array.from({ length: 1_001 }, (_, index) => `t${index}`);
    expect(limited(names)).toBe('all');
    expect(limited(names.slice(1))).toHaveLength(1_000);
  });
});
