import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RowDemand } from '../../src/core/model/row-demand.ts';
import { createSnapshotter } from '../../src/core/parts/schema/create-snapshotter.ts';
import { rowDemandsOf } from '../../src/core/parts/schema/row-demands.ts';
import { diffSnapshots } from '../../src/core/parts/schema/diff.ts';
import { touchedTables } from '../../src/core/parts/schema/touched-tables.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';
import { describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';

describeEachEngine('what an up asks of existing rows, read from the schema before and after it', (engine) => {
  const postgres = dialectOf(engine) === 'postgres';
  let throwaway: ThrowawayDatabase;

  beforeAll(async () => {
    throwaway = await openTestThrowaway(engine);
  });
  afterAll(async () => {
    await throwaway?.[Symbol.asyncDispose]();
  });

  /** Runs `setup`, snapshots, runs `up`, snapshots: the demands and touched tables of `up`. */
  async function demandsOf(setup: string, up: string): Promise<{ demands: RowDemand[]; touched: string[] }> {
    const db = await throwaway.reset();
    const snapshotter = createSnapshotter(throwaway.dialect);
    for (const statement of setup.split(';').filter((text) => text.trim() !== ''))
      await sql.raw(statement).execute(db);
    const before = await snapshotter.take(db, { excludeTables: [] });
    for (const statement of up.split(';').filter((text) => text.trim() !== ''))
      await sql.raw(statement).execute(db);
    const after = await snapshotter.take(db, { excludeTables: [] });
    return {
      demands: rowDemandsOf(before, after),
      touched: touchedTables(before, after, diffSnapshots(before, after).changes),
    };
  }

  const TABLES =
    'create table t (id bigint primary key, a text, b varchar(50), n bigint, p int); create table other (id int primary key)';

  test('a new table asks nothing of rows, and is not a touched table', async () => {
    const { demands, touched } = await demandsOf(
      TABLES,
      'create table fresh (id int primary key, x int not null unique)',
    );
    expect(demands).toEqual([]);
    expect(touched).toEqual([]);
  });

  test('widening asks nothing; narrowing asks for the length, the cast or the range', async () => {
    const widen = postgres
      ? 'alter table t alter column b type varchar(80); alter table t alter column p type bigint'
      : 'alter table t modify b varchar(80); alter table t modify p bigint';
    expect((await demandsOf(TABLES, widen)).demands).toEqual([]);
    const narrow = postgres
      ? 'alter table t alter column b type varchar(20); alter table t alter column a type integer using a::integer; alter table t alter column n type smallint'
      : 'alter table t modify b varchar(20); alter table t modify a int; alter table t modify n smallint';
    const { demands, touched } = await demandsOf(TABLES, narrow);
    expect(demands).toEqual(
      expect.arrayContaining([
        { kind: 'max-length', table: 't', column: 'b', length: 20 },
        { kind: 'cast', table: 't', column: 'a', type: postgres ? 'integer' : 'int', accepts: 'integer' },
        {
          kind: 'cast',
          table: 't',
          column: 'n',
          type: 'smallint',
          accepts: { min: '-32768', max: '32767' },
        },
      ]),
    );
    expect(demands).toHaveLength(3);
    expect(touched).toEqual(['t']);
  });

  test('a unique index over plain columns asks for no duplicates; a partial one is not counted', async () => {
    expect((await demandsOf(TABLES, 'create unique index t_b on t (b, p)')).demands).toEqual([
      { kind: 'unique', table: 't', columns: ['b', 'p'] },
    ]);
    if (postgres)
      expect((await demandsOf(TABLES, 'create unique index t_b on t (b) where p > 0')).demands).toEqual([]);
  });

  test('a foreign key asks for parents, a check for its expression, NOT NULL for values', async () => {
    const up = postgres
      ? 'alter table t add constraint t_p_fk foreign key (p) references other (id); alter table t add constraint t_n_pos check (n > 0); alter table t alter column a set not null'
      : 'alter table t add constraint t_p_fk foreign key (p) references other (id); alter table t add constraint t_n_pos check (n > 0); alter table t modify a text not null';
    const { demands } = await demandsOf(TABLES, up);
    expect(demands).toEqual(
      expect.arrayContaining([
        {
          kind: 'foreign-key',
          table: 't',
          columns: ['p'],
          referencedTable: 'other',
          referencedColumns: ['id'],
        },
        { kind: 'not-null', table: 't', column: 'a' },
      ]),
    );
    const check = demands.find((demand) => demand.kind === 'check');
    expect(check).toMatchObject({ kind: 'check', table: 't', name: 't_n_pos' });
    expect(demands).toHaveLength(3);
  });

  test.runIf(postgres)('a constraint added NOT VALID asks nothing until VALIDATE CONSTRAINT', async () => {
    const notValid = 'alter table t add constraint t_n_pos check (n > 0) not valid';
    expect((await demandsOf(TABLES, notValid)).demands).toEqual([]);
    const { demands } = await demandsOf(
      `${TABLES}; ${notValid}`,
      'alter table t validate constraint t_n_pos',
    );
    expect(demands).toEqual([{ kind: 'check', table: 't', name: 't_n_pos', expression: '(n > 0)' }]);
  });

  test('an enum that loses values asks that no row holds them', async () => {
    const setup = postgres
      ? "create type mood as enum ('happy', 'sad', 'meh'); create table u (id int primary key, m mood)"
      : "create table u (id int primary key, m enum('happy', 'sad', 'meh'))";
    const up = postgres
      ? "alter type mood rename to mood_old; create type mood as enum ('happy'); alter table u alter column m type mood using m::text::mood; drop type mood_old"
      : "alter table u modify m enum('happy')";
    expect((await demandsOf(setup, up)).demands).toEqual([
      { kind: 'enum-values', table: 'u', column: 'm', removed: ['sad', 'meh'] },
    ]);
  });
});
