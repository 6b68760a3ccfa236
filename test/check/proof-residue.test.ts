import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { describeEachEngine, dialectOf } from '../support/engines.ts';
import { checkFixture, proofFixture, resultOf, verdicts } from './check-fixture.ts';

describeEachEngine('check on downs that leave residue', (engine) => {
  describe('a down that forgets an index', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'index-left');
    });

    it('reports a down that leaves an index behind, naming the index and its table', () => {
      expect(verdicts(check)).toEqual([
        '0001_create_posts: reversible',
        '0002_add_published_at: not-reversible',
      ]);
      expect(resultOf(check, '0002_add_published_at')).toMatchObject({
        file: `${proofFixture('index-left')}/0002_add_published_at.ts`,
        message: 'down of 0002_add_published_at does not undo its up',
        residue: ['left index idx_posts_status on posts'],
      });
    });

    it('fails the gate', () => {
      expect(check.ok).toBe(false);
      expect(check.summary).toMatchObject({ reversible: 1, 'not-reversible': 1 });
    });
  });

  describe('downs that forget a type, a default and a check constraint', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'leftovers');
    });

    // Enum types exist on Postgres only: the migration is written as `.postgres.up.sql` and
    // `.postgres.down.sql`, so on MariaDB the folder has no such migration at all.
    it.skipIf(dialectOf(engine) === 'mysql')(
      'reports a down that leaves an enum type behind (Postgres only)',
      () => {
        expect(resultOf(check, '0002_add_post_status')).toMatchObject({
          status: 'not-reversible',
          file: `${proofFixture('leftovers')}/0002_add_post_status.postgres.down.sql`,
          residue: ['left type post_status'],
        });
      },
    );

    it.skipIf(dialectOf(engine) === 'postgres')(
      'has no enum type migration on MariaDB, where the files are for Postgres only',
      () => {
        expect(check.migrations.map((result) => result.name)).not.toContain('0002_add_post_status');
      },
    );

    it('reports a down that leaves a column default, saying what it was and what it became', () => {
      expect(resultOf(check, '0003_add_views')).toMatchObject({
        status: 'not-reversible',
        file: `${proofFixture('leftovers')}/0003_add_views.down.sql`,
        message: 'down of 0003_add_views does not undo its up',
        residue: ['did not restore column posts.score: no default became default 0'],
      });
    });

    it('reports an empty down that leaves a check constraint, naming the constraint and its table', () => {
      expect(resultOf(check, '0004_validate_scores')).toMatchObject({
        status: 'not-reversible',
        empty: ['down'],
        residue: ['left constraint posts_score_positive on posts'],
      });
    });

    it('judges each migration on its own: the table they share stays reversible', () => {
      expect(resultOf(check, '0001_create_posts').status).toBe('reversible');
    });
  });

  describe('downs that restore a dropped column differently', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'column-restored');
    });

    it('reports a column restored with another type, with both types in words', () => {
      // Postgres's standard names (character varying) are recorded in the short form people write.
      const types = 'varchar(255) became varchar(100)';
      expect(resultOf(check, '0002_drop_display_name')).toMatchObject({
        status: 'not-reversible',
        message: 'down of 0002_drop_display_name does not undo its up',
        residue: [`did not restore column profiles.display_name: ${types}`],
      });
    });

    it('reports a column restored without its NOT NULL', () => {
      expect(resultOf(check, '0003_drop_bio')).toMatchObject({
        status: 'not-reversible',
        residue: ['did not restore column profiles.bio: not null became nullable'],
      });
    });

    // ON UPDATE CURRENT_TIMESTAMP is MySQL/MariaDB syntax (Postgres needs a trigger for it):
    // the migration is a `.mysql.sql` file and exists on MariaDB only.
    it.skipIf(dialectOf(engine) === 'postgres')(
      'reports a column restored without ON UPDATE CURRENT_TIMESTAMP (MySQL only)',
      () => {
        expect(resultOf(check, '0004_drop_updated_at')).toMatchObject({
          status: 'not-reversible',
          file: `${proofFixture('column-restored')}/0004_drop_updated_at.mysql.sql`,
          residue: [
            'did not restore column profiles.updated_at: ON UPDATE CURRENT_TIMESTAMP() became no ON UPDATE',
          ],
        });
      },
    );

    it('proves the table itself reversible', () => {
      expect(resultOf(check, '0001_create_profiles').status).toBe('reversible');
    });
  });

  describe('a down that restores a foreign key without its ON DELETE action', () => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'fk-action');
    });

    it('reports the foreign key as not restored, naming the constraint, its table and the lost action', () => {
      const result = resultOf(check, '0002_drop_books_author_fk');
      expect(result.status).toBe('not-reversible');
      expect(result.residue).toHaveLength(1);
      const [residue] = result.residue ?? [];
      expect(residue).toMatch(/^did not restore constraint books_author_fk on books: /);
      // Postgres reports an absent action as NO ACTION. MariaDB reports RESTRICT, MySQL NO
      // ACTION, which InnoDB treats alike: the snapshot says RESTRICT for both.
      const action = dialectOf(engine) === 'mysql' ? 'RESTRICT' : 'NO ACTION';
      expect(residue).toContain(`ON DELETE CASCADE became ON DELETE ${action}`);
    });
  });
});
