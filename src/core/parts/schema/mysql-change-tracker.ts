import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ChangeScope, ChangeTracker } from './change-scope.ts';
import { ownerKey } from './change-scope.ts';
import type { MysqlName, MysqlTouchedObject } from './mysql-touched-object.ts';
import { readMysqlSql } from './read-mysql-sql.ts';
import type { SchemaSnapshot } from './snapshot.ts';

/**
 * Learns what a step changed from the statements it sent: MySQL and MariaDB have no DDL event
 * hook, but every statement passes Kysely's log hook (failed ones too, which matters since a
 * failed DDL may still have done part of its work). What the text cannot tell with certainty,
 * such as CALL or EXECUTE, makes the whole step `everything`.
 */
export class MysqlChangeTracker implements ChangeTracker {
  #observed: string[] = [];

  /** Nothing to install: the tracker only reads statement texts. */
  async install(_db: Kysely<any>): Promise<boolean> {
    return true;
  }

  /** Forgets the statements observed so far. */
  async start(_db: Kysely<any>): Promise<void> {
    this.#observed = [];
  }

  /** Records a statement text sent on the throwaway connection; it is read in {@link changes}. */
  observe(sql: string): void {
    this.#observed.push(sql);
  }

  /** The owners the statements observed since {@link start} touched, resolved against `before`. */
  async changes(db: Kysely<any>, before: SchemaSnapshot): Promise<ChangeScope> {
    // A copy: the queries below pass the same log hook.
    const texts = [...this.#observed];
    const touched: MysqlTouchedObject[] = [];
    let mayEnableEvent = false;
    for (const text of texts) {
      const effect = readMysqlSql(text);
      if (effect.change === 'unknown') return { everything: true, reason: effect.reason };
      if (effect.change !== 'objects') continue;
      touched.push(...effect.objects);
      if (effect.objects.some((object) => object.kind === 'event')) mayEnableEvent ||= mayEnable(text);
    }
    const hadEnabledEvents = Object.values(before.objects).some(
      (object) => object.kind === 'event' && object.attributes['status'] === 'ENABLED',
    );
    // A running scheduler executes event bodies, which may hold any DDL, whenever they are
    // due; a disabled event never runs. MySQL 8+ runs the scheduler by default, MariaDB not.
    const eventsMayRun = mayEnableEvent || hadEnabledEvents || (await enabledEventsExist(db));
    if (eventsMayRun && (await eventSchedulerRuns(db))) {
      return {
        everything: true,
        reason: 'the event scheduler is on: events may change the schema at any time',
      };
    }
    if (touched.length === 0) return { everything: false, owners: new Set() };
    const qualified = touched.some(
      (object) => object.name.database !== undefined || object.table?.database !== undefined,
    );
    const database = qualified ? await currentDatabase(db) : undefined;
    return { everything: false, owners: resolveOwners(touched, before, database) };
  }
}

async function currentDatabase(db: Kysely<any>): Promise<string | undefined> {
  const result = await sql<{ name: string | null }>`select database() as name`.execute(db);
  return result.rows[0]?.name ?? undefined;
}

/**
 * Whether a text that touches an event may have enabled one, even if only for a moment: ALTER
 * EVENT enables only when it says ENABLE, CREATE EVENT unless it says DISABLE. Reading words,
 * not syntax, errs towards yes (an event body may say `enable`), which only re-reads more.
 */
function mayEnable(text: string): boolean {
  return /\benable\b/i.test(text) || (/\bcreate\b/i.test(text) && !/\bdisable\b/i.test(text));
}

async function enabledEventsExist(db: Kysely<any>): Promise<boolean> {
  const result = await sql<{ events: unknown }>`select count(*) as events from information_schema.events
      where event_schema = database() and status = 'ENABLED'`.execute(db);
  return Number(result.rows[0]?.events ?? 0) > 0;
}

async function eventSchedulerRuns(db: Kysely<any>): Promise<boolean> {
  const result = await sql<{ state: unknown }>`select @@global.event_scheduler as state`.execute(db);
  return String(result.rows[0]?.state ?? '').toUpperCase() === 'ON';
}

/**
 * A name as the server may compare it: routine and event names ignore case (and accents),
 * table and trigger names do on servers with lower_case_table_names. Matching loosely only
 * re-reads an extra owner, which is harmless; missing one would hide residue.
 */
function fold(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * What resolving names needs from `before`, by folded name: the owner keys of top-level
 * objects (under `relation:posts`, `function:slugify`, ...), the tables of triggers, and the
 * owners of the foreign keys that reference a table.
 */
function indexOwners(before: SchemaSnapshot): {
  owners: Map<string, Set<string>>;
  triggerTables: Map<string, Set<string>>;
  referrers: Map<string, Set<string>>;
} {
  const owners = new Map<string, Set<string>>();
  const triggerTables = new Map<string, Set<string>>();
  const referrers = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, value: string): void => {
    let set = map.get(key);
    if (set === undefined) map.set(key, (set = new Set()));
    set.add(value);
  };
  for (const object of Object.values(before.objects)) {
    if (object.table === undefined) {
      const key = ownerKey(object);
      const kind = key.slice(0, key.indexOf(':'));
      add(owners, `${kind}:${fold(object.name)}`, key);
    }
    if (object.kind === 'trigger' && object.table !== undefined)
      add(triggerTables, fold(object.name), object.table);
    const referenced = object.attributes['referencedTable'];
    if (object.kind === 'constraint' && object.table !== undefined && typeof referenced === 'string')
      add(referrers, fold(referenced), ownerKey(object));
  }
  return { owners, triggerTables, referrers };
}

function resolveOwners(
  touched: readonly MysqlTouchedObject[],
  before: SchemaSnapshot,
  database: string | undefined,
): ReadonlySet<string> {
  const index = indexOwners(before);
  const owners = new Set<string>();
  const relations = new Set<string>();
  /** Triggers created by the step, so that dropping one later in the step finds its table. */
  const created = new Map<string, MysqlName>();
  // Another database is outside the snapshot; the current one may be spelled in another case.
  const inScope = (name: MysqlName): boolean =>
    name.database === undefined || (database !== undefined && fold(name.database) === fold(database));
  const addOwner = (kind: string, name: string): void => {
    owners.add(`${kind}:${name}`);
    for (const key of index.owners.get(`${kind}:${fold(name)}`) ?? []) owners.add(key);
  };
  const addRelation = (name: MysqlName): void => {
    if (!inScope(name)) return;
    addOwner('relation', name.name);
    // With lower_case_table_names the server stores what `Posts` names as `posts`.
    owners.add(`relation:${name.name.toLowerCase()}`);
    relations.add(fold(name.name));
  };
  for (const object of touched) {
    if (!inScope(object.name)) continue;
    if (object.kind === 'relation') addRelation(object.name);
    else if (object.kind !== 'trigger') addOwner(object.kind, object.name.name);
    else if (object.table !== undefined) {
      addRelation(object.table);
      created.set(fold(object.name.name), object.table);
    } else {
      const table = created.get(fold(object.name.name));
      if (table !== undefined) addRelation(table);
      for (const name of index.triggerTables.get(fold(object.name.name)) ?? []) addRelation({ name });
    }
  }
  // Renaming a table or its columns rewrites the foreign keys that reference it, which
  // belong to the referencing tables.
  for (const relation of relations) for (const key of index.referrers.get(relation) ?? []) owners.add(key);
  return owners;
}
