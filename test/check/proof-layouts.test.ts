import { describe, expect, it } from 'vitest';
import { describeEachEngine, dialectOf } from '../support/engines.ts';
import { checkFixture, proofFixture, resultOf, verdicts } from './check-fixture.ts';

describeEachEngine('check on other folder layouts', (engine) => {
  describe("Flyway's V<version>__name.sql with its undo U<version>__name.sql", () => {
    it('pairs each versioned file with its undo, and takes a declaration in one without', async () => {
      const check = await checkFixture(engine, 'flyway');

      expect(verdicts(check)).toEqual([
        'V001__create_customers: reversible',
        'V002__add_customers_email: reversible',
        'V003__drop_customers_name: declared-irreversible',
      ]);
      expect(resultOf(check, 'V002__add_customers_email').file).toBe(
        `${proofFixture('flyway')}/V002__add_customers_email.sql`,
      );
    });
  });

  describe('a dialect variant infix (postgresql, pg, mariadb) before .up.sql', () => {
    it("runs the engine's own files and the generic ones", async () => {
      const check = await checkFixture(engine, 'variant-infix');

      expect(verdicts(check)).toEqual(['0001_create_events: reversible', '0002_index_events: reversible']);
      const suffix = dialectOf(engine) === 'mysql' ? 'mariadb' : 'postgresql';
      expect(resultOf(check, '0002_index_events').file).toBe(
        `${proofFixture('variant-infix')}/0002_index_events.${suffix}.up.sql`,
      );
    });
  });
});
