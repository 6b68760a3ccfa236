import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFingerprints, readRows } from '../../src/core/parts/rows/read-rows.ts';
import { tableShapes } from '../../src/core/parts/rows/table-shapes.ts';
import type { TableShape } from '../../src/core/parts/rows/table-shapes.ts';
import { createSnapshotter } from '../../src/core/parts/schema/create-snapshotter.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';
import { describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';

// The proof reads whole rows only of the tables whose fingerprint changed: a fingerprint must
// change whenever the rows do, and only then.
describeEachEngine('row fingerprints', (engine) => {
  const dialect = dialectOf(engine);
  let throwaway: ThrowawayDatabase;
  let shapes: Map<string, TableShape>;

  beforeAll(async () => {
    throwaway = await openTestThrowaway(engine);
    for (const name of ['pairs', 'shuffled', 'ordered'])
      await sql`create table ${sql.table(name)} (kind varchar(20), amount int)`.execute(throwaway.db);
    const snapshot = await createSnapshotter(dialect).take(throwaway.db, { excludeTables: [] });
    shapes = new Map(tableShapes(snapshot, []).map((shape) => [shape.name, shape]));
  });
  afterAll(async () => {
    await throwaway?.[Symbol.asyncDispose]();
  });

  const fingerprintOf = async (table: string) =>
    (await readFingerprints(throwaway.db, dialect, [shapes.get(table)!])).get(table);

  it('changes when duplicate rows change together, which a XOR of row hashes would miss', async () => {
    await sql`insert into pairs values ('a', 1), ('a', 1)`.execute(throwaway.db);
    const before = await fingerprintOf('pairs');
    await sql`update pairs set kind = 'b'`.execute(throwaway.db);
    expect(await fingerprintOf('pairs')).not.toBe(before);
  });

  it('is the same for the same rows in any order, and differs by one value or one NULL', async () => {
    await sql`insert into shuffled values ('x', 1), ('y', null), ('z', 3)`.execute(throwaway.db);
    await sql`insert into ordered values ('z', 3), ('x', 1), ('y', null)`.execute(throwaway.db);
    const [shuffled, ordered] = [await fingerprintOf('shuffled'), await fingerprintOf('ordered')];
    expect(shuffled).toBe(ordered);
    await sql`update ordered set amount = 0 where kind = 'y'`.execute(throwaway.db);
    expect(await fingerprintOf('ordered')).not.toBe(shuffled);
  });

  it('is read for many tables in one query, as the rows are', async () => {
    const tables = [...shapes.values()];
    const fingerprints = await readFingerprints(throwaway.db, dialect, tables);
    const rows = await readRows(throwaway.db, dialect, tables);
    expect([...fingerprints.keys()].sort()).toEqual([...rows.keys()].sort());
    expect(fingerprints.get('pairs')).toMatch(/^2:\d+$/);
  });
});
