import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf } from '../support/engines.ts';
import { checkFixture, proofFixture, resultOf, verdicts } from './check-fixture.ts';

// Extensions are a Postgres feature: MariaDB has nothing to test here.
const POSTGRES_ENGINES = AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres');

describeEachEngine(
  'check on a migration that creates an extension PGlite cannot provide',
  (engine) => {
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'extension-missing');
    });

    it('reports an error at the CREATE EXTENSION line that suggests another throwaway database', () => {
      const result = resultOf(check, '0001_create_places');
      expect(result).toMatchObject({
        status: 'error',
        file: `${proofFixture('extension-missing')}/0001_create_places.sql`,
        line: 2,
      });
      expect(result.message).toContain('extension "postgis" is not available');
      expect(result.message).toContain('--throwaway server');
      expect(result.message).toContain('--throwaway container');
    });
  },
  // The hint is the embedded engine's own; a server may well have PostGIS installed.
  AVAILABLE_ENGINES.filter((engine) => engine === 'pglite'),
);

describeEachEngine(
  'check on a migration that creates a contrib extension',
  (engine) => {
    describe('citext', () => {
      let check: CheckResult;
      beforeAll(async () => {
        check = await checkFixture(engine, 'extension-citext');
      });

      it('proves it reversible: the embedded engine preloads the extensions the sources mention', () => {
        expect(verdicts(check)).toEqual(['0001_create_members: reversible']);
        expect(check.ok).toBe(true);
      });
    });
  },
  POSTGRES_ENGINES,
);
