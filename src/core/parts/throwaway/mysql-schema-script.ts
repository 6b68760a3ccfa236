import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/**
 * The schema of a MySQL/MariaDB database as SQL, from the server's own SHOW CREATE statements:
 * what a server or container throwaway saves of the merged history. Tables and views go back
 * in one round trip; each routine and trigger in its own, since MySQL keeps the `;` ending a
 * one-statement trigger body sent among others as part of the body. Names are left
 * unqualified, so the script fits any database. Undefined when the database holds what the
 * script does not carry: rows, events, or a view that may depend on another view (its creation
 * order is unknown). The proof trusts a loaded script only when a snapshot of it matches, so
 * anything else it misses is a replay, never a wrong state.
 */
export async function mysqlSchemaScript(db: Kysely<any>): Promise<MysqlSchemaScript | undefined> {
  const database = (await rows<{ name: string }>(db, sql`select database() as name`))[0]!.name;
  const objects = await rows<{ name: string; type: string }>(
    db,
    sql`select table_name as name, table_type as type from information_schema.tables
        where table_schema = database() order by table_name`,
  );
  const tables = objects.filter((object) => object.type === 'BASE TABLE').map((object) => object.name);
  const views = objects.filter((object) => object.type === 'VIEW').map((object) => object.name);
  if (await anyRows(db, tables)) return undefined;
  const events = await rows(db, sql`select 1 from information_schema.events where event_schema = database()`);
  if (events.length > 0) return undefined;

  const statements: string[] = [];
  for (const table of tables)
    statements.push(await showCreate(db, sql`show create table ${sql.id(table)}`, 1));
  const viewStatements: string[] = [];
  for (const view of views)
    viewStatements.push(await showCreate(db, sql`show create view ${sql.id(view)}`, 1));
  if (
    viewStatements.some((text) =>
      views.some((view) => text.includes(`\`${view}\``) && !text.includes(`VIEW \`${view}\``)),
    )
  )
    return undefined;
  statements.push(...viewStatements);
  const alone: string[] = [];
  const routines = await rows<{ name: string; type: string }>(
    db,
    sql`select routine_name as name, routine_type as type from information_schema.routines
        where routine_schema = database() order by routine_name`,
  );
  for (const { name, type } of routines) {
    const show =
      type === 'FUNCTION'
        ? sql`show create function ${sql.id(name)}`
        : sql`show create procedure ${sql.id(name)}`;
    alone.push(await showCreate(db, show, 2));
  }
  const triggers = await rows<{ name: string }>(
    db,
    sql`select trigger_name as name from information_schema.triggers
        where trigger_schema = database() order by event_object_table, action_order`,
  );
  for (const { name } of triggers)
    alone.push(await showCreate(db, sql`show create trigger ${sql.id(name)}`, 2));

  const unqualified = (statement: string) => statement.replaceAll(`\`${database}\`.`, '');
  // Tables are created in name order, so a foreign key may name a table created after it.
  const batch = ['set foreign_key_checks = 0', ...statements.map(unqualified), 'set foreign_key_checks = 1'];
  return { batch: `${batch.join(';\n')};\n`, alone: alone.map(unqualified) };
}

/** A schema as SQL: one script of tables and views, then statements sent one at a time. */
export interface MysqlSchemaScript {
  readonly batch: string;
  readonly alone: readonly string[];
}

/** Whether any of the tables holds a row, in one round trip. */
async function anyRows(db: Kysely<any>, tables: readonly string[]): Promise<boolean> {
  if (tables.length === 0) return false;
  const probes = tables.map((table) => sql`(select 1 from ${sql.id(table)} limit 1)`);
  return (await rows(db, sql.join(probes, sql` union all `))).length > 0;
}

/** The CREATE statement a SHOW CREATE answers, in its column at `index`. */
async function showCreate(db: Kysely<any>, query: ReturnType<typeof sql>, index: number): Promise<string> {
  const [row] = await rows<Record<string, unknown>>(db, query);
  const text = row === undefined ? undefined : Object.values(row)[index];
  if (typeof text !== 'string') throw new Error('SHOW CREATE gave no statement');
  return text;
}

async function rows<T = unknown>(db: Kysely<any>, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await query.execute(db)).rows as T[];
}
