import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { describeChange, diffSnapshots } from '../../src/core/parts/schema/diff.ts';
import { MysqlSnapshotter } from '../../src/core/parts/schema/mysql-snapshot.ts';
import type { SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { checkFixture, resultOf, verdicts } from '../check/check-fixture.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { CONFORMANCE_ENGINES, describeEachEngine, dialectOf, openTestThrowaway } from '../support/engines.ts';

/*
 * The same migrations, written once per dialect, proven on every engine of the dialect
 * (test/fixtures/proof/portable). The clean downs say what their up undid in other words:
 * what one engine reports differently from another, or from what was written, must never
 * read as residue. The broken ones must read alike on every engine of the dialect.
 */

/** The verdict on every portable migration, the same on every engine of a dialect. */
const VERDICTS = {
  mysql: [
    '0001_create_shop: reversible',
    '0002_drop_note_and_active: reversible',
    '0003_drop_sku_check: reversible',
    '0004_drop_order_fk: reversible',
    '0005_drop_updated_at: reversible',
    '0006_widen_qty: reversible',
    '0007_change_price_default: not-reversible',
    '0008_relax_price_check: not-reversible',
    '0009_drop_created_at: not-reversible',
  ],
  postgres: [
    '0001_create_shop: reversible',
    '0002_drop_note_and_active: reversible',
    '0003_drop_sku_check: reversible',
    '0004_drop_order_fk: reversible',
    '0006_widen_qty: reversible',
    '0007_change_price_default: not-reversible',
    '0008_relax_price_check: not-reversible',
    '0009_drop_created_at: not-reversible',
  ],
};

/** What each broken down left, in the words every engine of the dialect must use. */
const RESIDUE = {
  mysql: {
    '0007_change_price_default': ['did not restore column products.price: default 0.00 became default 2.00'],
    '0008_relax_price_check': [
      'did not restore constraint chk_products_price on products: clause `price` >= 0 became clause `price` > 0',
    ],
    '0009_drop_created_at': [
      'did not restore column products.created_at: default current_timestamp() became no default',
    ],
  },
  postgres: {
    '0007_change_price_default': ['did not restore column products.price: default 0.00 became default 2.00'],
    '0008_relax_price_check': [
      'did not restore constraint chk_products_price on products: definition CHECK ((price >= (0)::numeric)) became definition CHECK ((price > (0)::numeric))',
    ],
    '0009_drop_created_at': ['did not restore column products.created_at: default now() became no default'],
  },
};

describeEachEngine(
  'portable migrations',
  (engine) => {
    const dialect = dialectOf(engine);
    let check: CheckResult;
    beforeAll(async () => {
      check = await checkFixture(engine, 'portable');
    });

    it('proves the clean downs reversible, however they spell what they restore', () => {
      expect(verdicts(check)).toEqual(VERDICTS[dialect]);
    });

    it.each(Object.keys(RESIDUE[dialect]))('reports the residue of %s in the same words', (name) => {
      expect(resultOf(check, name).residue).toEqual(
        RESIDUE[dialect][name as keyof (typeof RESIDUE)[typeof dialect]],
      );
    });
  },
  CONFORMANCE_ENGINES,
);

/** One object of each kind both MariaDB and MySQL have, in statements both accept. */
const SHARED_SCHEMA = [
  `create table products (
     id int not null auto_increment primary key,
     sku varchar(20) not null,
     price decimal(8,2) not null default 0.00,
     active tinyint(1) not null default 1,
     note varchar(50) character set utf8mb3 default 'it''s',
     blob_col varbinary(16),
     kind enum('a','b') not null default 'a',
     born date default '2020-01-01',
     token char(36) default (uuid()),
     label varchar(40) default (concat('p-', 'x')),
     created_at timestamp not null default current_timestamp,
     updated_at datetime(3) not null default current_timestamp(3) on update current_timestamp(3),
     sku_upper varchar(20) as (upper(sku)) stored,
     price_cents int as (price * 100) virtual,
     secret varchar(10) invisible,
     doc json,
     unique key uq_products_sku (sku),
     key idx_products_price_desc (price desc, sku(5)),
     constraint chk_products_price check (price >= 0),
     constraint chk_products_kind check (kind in ('a', 'b'))
   ) comment='things we sell'`,
  `create table orders (
     id bigint primary key,
     product_id int not null,
     qty int unsigned not null default 1,
     constraint fk_orders_product foreign key (product_id) references products (id)
   )`,
  "create view cheap_products as select sku, price from products where price < 10 and kind = 'a'",
  'create trigger trg_orders_qty before insert on orders for each row set new.qty = greatest(new.qty, 1)',
  `create function order_total(oid bigint) returns decimal(10,2) deterministic reads sql data
     begin return (select o.qty * p.price from orders o join products p on p.id = o.product_id where o.id = oid); end`,
  'create procedure touch_products() modifies sql data update products set price = price',
  'create event purge_orders on schedule every 1 day disable do delete from orders where qty = 0',
];

/**
 * Where a snapshot of SHARED_SCHEMA on MariaDB 11.8 and one on MySQL 9.7 still differ: each a
 * true difference between the servers (see the report), not a spelling.
 */
const TRUE_DIFFERENCES: readonly string[] = [
  // MariaDB's JSON is LONGTEXT with a binary collation and a json_valid() check named after
  // the column; MySQL's is a type of its own.
  'column products.doc: charset utf8mb4 became no charset; collation utf8mb4_bin became no collation; longtext became json',
  // The servers' default collations differ: an explicit charset takes the server's default
  // collation for it, and so does every table.
  'column products.note: collation utf8mb3_uca1400_ai_ci became collation utf8mb3_general_ci',
  'constraint doc on products was removed',
  'table orders: collation utf8mb4_uca1400_ai_ci became collation utf8mb4_0900_ai_ci',
  'table products: collation utf8mb4_uca1400_ai_ci became collation utf8mb4_0900_ai_ci',
  // MySQL parenthesises each condition of a view's WHERE; the view text is kept as the server
  // wrote it (rewriting SQL would need a parser), so only a view built elsewhere differs.
  "view cheap_products: definition select `products`.`sku` AS `sku`,`products`.`price` AS `price` from `products` where `products`.`price` < 10 and `products`.`kind` = 'a' became definition select `products`.`sku` AS `sku`,`products`.`price` AS `price` from `products` where ((`products`.`price` < 10) and (`products`.`kind` = 'a'))",
];

async function snapshotOn(engine: TestEngine): Promise<SchemaSnapshot> {
  await using throwaway = await openTestThrowaway(engine);
  for (const statement of SHARED_SCHEMA) await sql.raw(statement).execute(throwaway.db);
  return await new MysqlSnapshotter().take(throwaway.db, { excludeTables: [] });
}

describe('one schema built on MariaDB 11.8 and on MySQL 9.7', () => {
  const both = CONFORMANCE_ENGINES.includes('mariadb11') && CONFORMANCE_ENGINES.includes('mysql');

  it.runIf(both)('snapshots alike, but for what truly differs between the servers', async () => {
    const [mariadb, mysql] = [await snapshotOn('mariadb11'), await snapshotOn('mysql')];
    const differences = diffSnapshots(mariadb, mysql).changes.map((change) => describeChange(change));
    expect(differences).toEqual(TRUE_DIFFERENCES);
  });
});
