import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ENGINE_TITLES } from '../support/engine-list.ts';
import { CONFORMANCE_ENGINES, describeEachEngine, openTestThrowaway } from '../support/engines.ts';

describeEachEngine(
  'the conformance engines',
  (engine) => {
    it(`is ${ENGINE_TITLES[engine]}, as its name says`, async () => {
      await using throwaway = await openTestThrowaway(engine);
      const { rows } = await sql<{ version: string }>`select version() as version`.execute(throwaway.db);
      const [product, version] = ENGINE_TITLES[engine].split(' ') as [string, string];
      const text = rows[0]!.version;
      if (product === 'PGlite' || product === 'PostgreSQL') {
        expect(text).toMatch(
          product === 'PGlite' ? /^PostgreSQL 18\./ : new RegExp(`^PostgreSQL ${version}[.\\s]`),
        );
      } else {
        expect(text.startsWith(`${version}.`)).toBe(true);
        expect(/mariadb/i.test(text)).toBe(product === 'MariaDB');
      }
    });
  },
  CONFORMANCE_ENGINES,
);
