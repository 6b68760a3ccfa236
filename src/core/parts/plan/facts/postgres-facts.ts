import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { messageOf } from '../../../model/errors.ts';
import { displayName, TRACKER_SCHEMA } from '../../schema/postgres-names.ts';
import type { PostgresLockMode } from './observed-facts.ts';
import { POSTGRES_LOCK_MODES } from './observed-facts.ts';

/** A relation with storage as the snapshot names it, and where its storage is. */
interface Relation {
  readonly name: string;
  readonly filenode: string;
}

/** Relations by oid: tables, partitioned tables and materialized views outside the catalogs. */
export type Relations = ReadonlyMap<string, Relation>;

const RELATIONS = `select 'relation' as part, c.oid::int8::text as oid, n.nspname as schema, c.relname as name,
    c.relfilenode::int8::text as filenode, null as mode
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'm') and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
    and n.nspname <> '${TRACKER_SCHEMA}'`;

const OWN_LOCKS = `select 'lock' as part, l.relation::int8::text as oid, null, null, null, l.mode
  from pg_locks l
  where l.locktype = 'relation' and l.granted and l.pid = pg_backend_pid()
    and l.database = (select oid from pg_database where datname = current_database())`;

interface Row {
  part: 'relation' | 'lock';
  oid: string;
  schema: string | null;
  name: string | null;
  filenode: string | null;
  mode: string | null;
}

/** Reads the relations and where their storage is, right before an up. One query. */
export async function readRelations(db: Kysely<any>): Promise<Relations> {
  const { rows } = await sql.raw<Row>(RELATIONS).execute(db);
  return relationsOf(rows);
}

/** What the up did to the relations that existed before it. */
export interface UpEffects {
  /** Those whose storage changed: rewritten (or truncated). */
  readonly rewritten: ReadonlySet<string>;
  /** Those dropped and created again under the same name: another oid. */
  readonly recreated: ReadonlySet<string>;
  /** The strongest lock held on each, when read inside the up's transaction. */
  readonly locks?: ReadonlyMap<string, PostgresLockMode>;
}

/**
 * Reads, right after the up and inside its transaction when it has one, where the storage of
 * the relations is now and (inside a transaction) which locks this session holds, in one
 * query. Inside a transaction the read is wrapped in a savepoint: a failed read must not
 * leave the transaction failed, or COMMIT would silently undo the up.
 */
export async function readUpEffects(
  db: Kysely<any>,
  before: Relations,
  inTransaction: boolean,
): Promise<UpEffects> {
  const text = inTransaction ? `${RELATIONS} union all ${OWN_LOCKS}` : RELATIONS;
  if (!inTransaction) return effectsOf((await sql.raw<Row>(text).execute(db)).rows, before, false);
  await sql.raw('savepoint migration_gate_facts').execute(db);
  try {
    const { rows } = await sql.raw<Row>(text).execute(db);
    await sql.raw('release savepoint migration_gate_facts').execute(db);
    return effectsOf(rows, before, true);
  } catch (error) {
    await sql.raw('rollback to savepoint migration_gate_facts').execute(db);
    await sql.raw('release savepoint migration_gate_facts').execute(db);
    throw new Error(`could not read the locks and storage after the up: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

function relationsOf(rows: readonly Row[]): Map<string, Relation> {
  const relations = new Map<string, Relation>();
  for (const row of rows)
    if (row.part === 'relation')
      relations.set(row.oid, {
        name: displayName(row.schema ?? '', row.name ?? ''),
        filenode: row.filenode ?? '',
      });
  return relations;
}

function effectsOf(rows: readonly Row[], before: Relations, withLocks: boolean): UpEffects {
  const after = relationsOf(rows);
  const rewritten = new Set<string>();
  const recreated = new Set<string>();
  const namesAfter = new Set([...after.values()].map((relation) => relation.name));
  for (const [oid, relation] of before) {
    const now = after.get(oid);
    if (now === undefined && namesAfter.has(relation.name)) recreated.add(relation.name);
    // A partitioned table has no storage of its own (filenode 0) and cannot be rewritten.
    if (now !== undefined && relation.filenode !== '0' && now.filenode !== relation.filenode)
      rewritten.add(relation.name);
  }
  if (!withLocks) return { rewritten, recreated };
  const locks = new Map<string, PostgresLockMode>();
  for (const row of rows) {
    const relation = row.part === 'lock' ? before.get(row.oid) : undefined;
    const mode = row.mode as PostgresLockMode;
    if (relation === undefined || !POSTGRES_LOCK_MODES.includes(mode)) continue;
    const held = locks.get(relation.name);
    if (held === undefined || POSTGRES_LOCK_MODES.indexOf(mode) > POSTGRES_LOCK_MODES.indexOf(held))
      locks.set(relation.name, mode);
  }
  return { rewritten, recreated, locks };
}
