import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a Postgres history shaped like a real product's: `count` dbmate-style SQL migrations
 * (350 by default) over a schema that grows to two tables per seven migrations, with identity
 * keys, defaults, unique and partial and expression indexes, foreign keys, PL/pgSQL functions
 * and triggers, views, enum types and check constraints, each with a correct down. The same
 * `count` always gives the same files.
 */
export async function writeRealisticHistory(folder: string, count = 350): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const tables: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const [up, down] = step(i, tables);
    const name = `${String(i).padStart(4, '0')}_${slug(up)}.sql`;
    await writeFile(join(folder, name), `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`);
  }
}

/** A table made earlier, picked by a fixed stride so every table gets work. */
function earlier(tables: readonly string[], i: number): string {
  return tables[(i * 7919) % tables.length]!;
}

function step(i: number, tables: string[]): [string, string] {
  switch ((i - 1) % 7) {
    case 0: {
      const parent = `account_${i}`;
      const child = `account_${i}_event`;
      tables.push(parent, child);
      return [
        [
          `create table ${parent} (`,
          `  id bigint generated always as identity primary key,`,
          `  email text not null,`,
          `  display_name varchar(120),`,
          `  created_at timestamptz not null default now(),`,
          `  updated_at timestamptz not null default now()`,
          `);`,
          `create unique index ${parent}_email on ${parent} (lower(email));`,
          `create table ${child} (`,
          `  id bigint generated always as identity primary key,`,
          `  ${parent}_id bigint not null references ${parent} (id) on delete cascade,`,
          `  kind text not null check (kind <> ''),`,
          `  payload jsonb not null default '{}',`,
          `  happened_at timestamptz not null default now()`,
          `);`,
          `create index ${child}_by_parent on ${child} (${parent}_id, happened_at desc);`,
        ].join('\n'),
        `drop table ${child};\ndrop table ${parent};`,
      ];
    }
    case 1: {
      const table = earlier(tables, i);
      return [
        `alter table ${table} add column note_${i} text not null default 'none';`,
        `alter table ${table} drop column note_${i};`,
      ];
    }
    case 2: {
      const table = earlier(tables, i);
      return [
        `alter table ${table} add column archived_${i} boolean not null default false;\n` +
          `create index ${table}_live_${i} on ${table} (id) where not archived_${i};`,
        `drop index ${table}_live_${i};\nalter table ${table} drop column archived_${i};`,
      ];
    }
    case 3: {
      const table = earlier(tables, i);
      const parent = tables[Math.max(0, tables.indexOf(table) - 2)]!;
      return [
        `alter table ${table} add column link_${i} bigint;\n` +
          `alter table ${table} add constraint ${table}_link_${i} foreign key (link_${i}) references ${parent} (id) on delete set null;\n` +
          `create index ${table}_link_${i}_idx on ${table} (link_${i});`,
        `drop index ${table}_link_${i}_idx;\nalter table ${table} drop column link_${i};`,
      ];
    }
    case 4: {
      const table = tables[tables.length - 2]!;
      return [
        [
          `create function touch_${i}() returns trigger language plpgsql as $$`,
          `begin`,
          `  new.updated_at := now();`,
          `  return new;`,
          `end`,
          `$$;`,
          `create trigger ${table}_touch_${i} before update on ${table} for each row execute function touch_${i}();`,
        ].join('\n'),
        `drop trigger ${table}_touch_${i} on ${table};\ndrop function touch_${i}();`,
      ];
    }
    case 5: {
      const parent = tables[tables.length - 2]!;
      const child = tables[tables.length - 1]!;
      return [
        [
          `create view ${parent}_activity_${i} as`,
          `  select p.id, p.email, count(c.id) as events, max(c.happened_at) as last_event`,
          `  from ${parent} p left join ${child} c on c.${parent}_id = p.id`,
          `  group by p.id, p.email;`,
        ].join('\n'),
        `drop view ${parent}_activity_${i};`,
      ];
    }
    default: {
      const table = earlier(tables, i);
      return [
        `create type state_${i} as enum ('draft', 'active', 'closed');\n` +
          `alter table ${table} add column state_${i} state_${i} not null default 'draft';\n` +
          `alter table ${table} add constraint ${table}_state_${i}_open check (state_${i} <> 'closed' or id > 0);`,
        `alter table ${table} drop column state_${i};\ndrop type state_${i};`,
      ];
    }
  }
}

/** A file name part from the first statement, as people name migrations. */
function slug(up: string): string {
  const words = /^(create|alter) (table|function|view|type) (\w+)/.exec(up);
  return words === null ? 'change' : `${words[1]}_${words[3]}`.slice(0, 40);
}
