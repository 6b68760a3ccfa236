import { beforeAll, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { describeEachEngine } from '../support/engines.ts';
import { checkFixture, proofFixture, verdicts } from './check-fixture.ts';

describeEachEngine('check on migrations whose downs undo their ups', (engine) => {
  let check: CheckResult;
  beforeAll(async () => {
    // The schema proof alone: 0004 inserts user 1, which the seeded rows of the data-aware proof
    // already hold, as production would (test/rows covers what that proof finds).
    check = await checkFixture(engine, 'clean', 'step', { seedRows: false });
  });

  it('proves tables, foreign keys, an index and a data migration reversible, and passes the gate', () => {
    expect(verdicts(check)).toEqual([
      '0001_create_users: reversible',
      '0002_create_posts: reversible',
      '0003_index_posts_status: reversible',
      '0004_add_display_name: reversible',
      '0005_create_tags: reversible',
    ]);
    expect(check.ok).toBe(true);
    expect(check.mode).toBe('step');
    expect(check.summary).toMatchObject({
      reversible: 5,
      'not-reversible': 0,
      error: 0,
      proven: 5,
      replayed: 0,
    });
  });

  it('never flags a clean migration: no message, no residue', () => {
    for (const result of check.migrations) {
      expect(result, result.name).not.toHaveProperty('message');
      expect(result, result.name).not.toHaveProperty('residue');
    }
  });

  it("describes what each up changed and names each migration's file relative to the working directory", () => {
    expect(check.migrations.map((result) => [result.file, result.changes])).toEqual([
      [`${proofFixture('clean')}/0001_create_users.ts`, ['table users was added']],
      [`${proofFixture('clean')}/0002_create_posts.ts`, ['table posts was added']],
      [
        `${proofFixture('clean')}/0003_index_posts_status.up.sql`,
        ['index idx_posts_status on posts was added'],
      ],
      [`${proofFixture('clean')}/0004_add_display_name.ts`, ['column users.display_name was added']],
      [`${proofFixture('clean')}/0005_create_tags.ts`, ['table post_tags was added', 'table tags was added']],
    ]);
  });
});
