import type { Kysely } from 'kysely';
import type { SchemaObject, SchemaObjectKind, SchemaSnapshot } from './snapshot.ts';
import type { SchemaSnapshotter, SnapshotOptions } from './snapshotter.ts';

/** Kinds that own columns, constraints, indexes and triggers, and share one namespace. */
const RELATION_KINDS: ReadonlySet<SchemaObjectKind> = new Set([
  'table',
  'view',
  'materialized view',
  'sequence',
]);

/**
 * The top-level object an object belongs to: `relation:posts` for table posts and for its
 * columns, constraints, indexes and triggers; `type:mood`, `function:slugify(text)`,
 * `schema:audit`, `extension:citext`, `event:my_event` for the others. A scoped snapshot
 * re-reads whole owners, so an owner is the unit of change.
 */
export function ownerKey(object: Pick<SchemaObject, 'kind' | 'name' | 'table'>): string {
  if (object.table !== undefined) return `relation:${object.table}`;
  if (RELATION_KINDS.has(object.kind)) return `relation:${object.name}`;
  return `${object.kind}:${object.name}`;
}

/**
 * The owner key standing for every object of a kind, for kinds a tracker cannot see
 * individually (e.g. Postgres event triggers, which event triggers do not report).
 */
export function everyOwnerOfKind(kind: SchemaObjectKind): string {
  return `${kind}:*`;
}

/** Whether an object belongs to one of `owners` (exact owner keys or every-of-kind keys). */
export function ownedBy(object: SchemaObject, owners: ReadonlySet<string>): boolean {
  return owners.has(ownerKey(object)) || owners.has(everyOwnerOfKind(object.kind));
}

/** What a step may have changed: everything, or only the objects of some owners. */
export type ChangeScope =
  | { readonly everything: true; readonly reason: string }
  | { readonly everything: false; readonly owners: ReadonlySet<string> };

/**
 * What a step may have changed, with the objects of the owners it touched already re-read (a
 * snapshot with only those, to merge with {@link mergeSnapshot}).
 */
export type ChangeRead =
  | { readonly everything: true; readonly reason: string }
  | {
      readonly everything: false;
      readonly owners: ReadonlySet<string>;
      readonly reread: SchemaSnapshot;
    };

/**
 * Learns which owners the statements of a step touched, so that the snapshot after the step
 * re-reads only those (a catalog read of the whole schema costs tens of milliseconds; the step
 * itself a few). One class per dialect. Must err on the side of `everything`: a missed owner
 * would hide residue.
 */
export interface ChangeTracker {
  /**
   * Prepares a database for tracking (e.g. installs an event trigger). Returns false when
   * this database cannot be tracked; then every snapshot is a full one. Called again after
   * the throwaway database is replaced.
   */
  install(db: Kysely<any>): Promise<boolean>;
  /** Forgets everything recorded so far; called right before a step runs. */
  start(db: Kysely<any>): Promise<void>;
  /**
   * What the step since {@link start} may have changed. `before` is the snapshot from before
   * the step, to find the owners of objects the step dropped.
   */
  changes(db: Kysely<any>, before: SchemaSnapshot): Promise<ChangeScope>;
  /**
   * {@link changes} and the scoped re-read of its owners together, for a tracker that can do
   * both in fewer round trips than the two apart (on Postgres, one). Optional: without it, the
   * caller re-reads with the snapshotter. `snapshotter` serves what the tracker cannot read
   * along with its log.
   */
  changesWithSnapshot?(
    db: Kysely<any>,
    before: SchemaSnapshot,
    snapshotter: SchemaSnapshotter,
    options: Omit<SnapshotOptions, 'owners'>,
  ): Promise<ChangeRead>;
  /** Sees every statement sent on the throwaway connection (wired to Kysely's log hook). */
  observe(sql: string): void;
}

/**
 * The snapshot after a step from the one before it and a scoped re-read: objects of the
 * touched owners are replaced by what the re-read found (absent ones were dropped).
 */
export function mergeSnapshot(
  before: SchemaSnapshot,
  reread: SchemaSnapshot,
  owners: ReadonlySet<string>,
): SchemaSnapshot {
  // Not re-sorted: the proof only diffs merged snapshots, and sorting thousands of keys after
  // every step cost more than the scoped read saved. Compare them with `sameSnapshot`.
  const objects: Record<string, SchemaObject> = {};
  for (const [key, object] of Object.entries(before.objects))
    if (!ownedBy(object, owners)) objects[key] = object;
  for (const [key, object] of Object.entries(reread.objects)) objects[key] = object;
  return { dialect: before.dialect, objects };
}
