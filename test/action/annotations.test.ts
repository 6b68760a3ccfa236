import { describe, expect, test } from 'vitest';
import { checkAnnotations } from '../../src/action/annotations.ts';
import { statementLine } from '../../src/action/statement-line.ts';
import { checkResult, migration, risk } from './check-result.ts';

const SOURCE = `-- migrate:up
alter table orders
  alter column total type numeric(12, 2);
create index orders_total on orders (total);

-- migrate:down
drop index orders_total;
alter table orders alter column total type integer;
`;

const context = {
  repositoryPath: (file: string) => `services/shop/${file}`,
  statementLine: (_file: string, sql: string) => statementLine(SOURCE, sql),
};

describe('annotations: where GitHub shows the findings in the diff', () => {
  test('a migration that fails the proof: an error on its file and the line the failure points at', () => {
    const result = checkResult([
      migration('0003_orders', {
        status: 'not-reversible',
        message: 'down of 0003_orders does not undo its up',
        line: 7,
        residue: ['left index orders_total on orders'],
      }),
    ]);
    expect(checkAnnotations(result, context)).toEqual([
      {
        level: 'error',
        title: '0003_orders: not reversible',
        message: 'down of 0003_orders does not undo its up\n- left index orders_total on orders',
        file: 'services/shop/db/migrations/0003_orders.sql',
        line: 7,
      },
    ]);
  });

  test('risks: at the line of the statement that causes them, by severity; acknowledged ones are left out', () => {
    const result = checkResult([
      migration('0003_orders', {
        statements: {
          up: [
            { sql: 'alter table orders\n  alter column total type numeric(12, 2)', durationMs: 1 },
            { sql: 'create index orders_total on orders (total)', durationMs: 1 },
          ],
          down: [],
        },
        risks: [
          risk('change-column-type', { severity: 'error', statement: 0 }),
          risk('create-index-blocking', { severity: 'warning', statement: 1 }),
          risk('ddl-and-data-in-one-transaction', { severity: 'warning', acknowledged: 'the table is tiny' }),
        ],
      }),
    ]);
    expect(checkAnnotations(result, context).map(({ level, title, line }) => [level, title, line])).toEqual([
      ['error', '0003_orders: change-column-type', 2],
      ['warning', '0003_orders: create-index-blocking', 4],
    ]);
  });

  test('history problems: an error on the file, without a line', () => {
    const result = checkResult([], {
      historyProblems: [
        {
          kind: 'out-of-order',
          name: '0002_a',
          file: 'db/migrations/0002_a.sql',
          message: '0002_a sorts before 0003_b, which is already merged',
          suggestedName: '0004_a',
        },
      ],
    });
    expect(checkAnnotations(result, context)).toEqual([
      {
        level: 'error',
        title: '0002_a: sorts before a merged migration',
        message: '0002_a sorts before 0003_b, which is already merged',
        file: 'services/shop/db/migrations/0002_a.sql',
      },
    ]);
  });
});

describe('statementLine', () => {
  test('finds a statement by its first line, whatever the spacing', () => {
    expect(statementLine(SOURCE, 'create  index orders_total on orders (total);')).toBe(4);
  });

  test('says nothing when the statement is not in the source, or is there twice', () => {
    expect(statementLine(SOURCE, 'create table "orders" ("id" integer)')).toBeUndefined();
    expect(statementLine(`${SOURCE}${SOURCE}`, 'drop index orders_total')).toBeUndefined();
  });
});
