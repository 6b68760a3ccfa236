import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DialectName } from '../src/core/model/dialect.ts';

/**
 * Writes a synthetic history of `count` dbmate-style SQL migrations into `folder`: a repeating
 * mix of create table, add column, add index and add foreign key, each with a correct down.
 * Each foreign key's up first sets to NULL the references with no parent, as a migration
 * written for a table with rows does (the data-aware proof, on by default, seeds orphans).
 */
export async function writeSyntheticHistory(
  folder: string,
  count: number,
  dialect: DialectName,
): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  let table = 0;
  for (let i = 1; i <= count; i += 1) {
    const kind = (i - 1) % 4;
    if (kind === 0) table = i;
    const [up, down] = migrationSql(kind, i, table, dialect);
    const name = `${String(i).padStart(4, '0')}_step_${i}.sql`;
    await writeFile(join(folder, name), `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`);
  }
}

function migrationSql(kind: number, i: number, table: number, dialect: DialectName): [string, string] {
  const t = `t_${table}`;
  switch (kind) {
    case 0:
      return [
        `create table ${t} (id int primary key, name varchar(100) not null, ref_id int);`,
        `drop table ${t};`,
      ];
    case 1:
      return [`alter table ${t} add column c_${i} varchar(50);`, `alter table ${t} drop column c_${i};`];
    case 2:
      return [
        `create index idx_${i} on ${t} (name);`,
        dialect === 'postgres' ? `drop index idx_${i};` : `drop index idx_${i} on ${t};`,
      ];
    default: {
      // The first table has no earlier table to point at: it references itself.
      const target = table > 4 ? `t_${table - 4}` : t;
      // The derived table keeps MySQL from refusing a subquery on the table it updates.
      const clean = `update ${t} set ref_id = null where ref_id not in (select id from (select id from ${target}) parents);\n`;
      return [
        `${clean}alter table ${t} add constraint fk_${i} foreign key (ref_id) references ${target} (id) on delete set null;`,
        dialect === 'postgres'
          ? `alter table ${t} drop constraint fk_${i};`
          : // MySQL keeps the index it created for the foreign key unless the down drops it too.
            `alter table ${t} drop foreign key fk_${i}, drop index fk_${i};`,
      ];
    }
  }
}
