import type { Migration } from '../migrations/migration.ts';
import type { SchemaDiff } from '../schema/diff.ts';
import { describeChange, describeObject, diffSnapshots } from '../schema/diff.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { CreatorIndex } from './creators.ts';
import { creatorHint } from './creators.ts';

/**
 * The residue of a down (the `index`th migration) in words: what it left, what it dropped that
 * existed before (with the migration that creates it), and what it changed. `afterUp` (the
 * schema after the up, when known) tells an object the up dropped from one the down dropped.
 */
export function describeResidue(
  creators: CreatorIndex,
  migration: Migration,
  index: number,
  diff: SchemaDiff,
  afterUp: SchemaSnapshot | undefined,
): string[] {
  return diff.changes.map((change) => {
    if (change.type === 'added') return `left ${describeObject(change.object)}`;
    if (change.type === 'removed') {
      const creator = creators.byKey(change.key);
      const hint = creatorHint({ name: migration.name, index }, change.object.name, creator, afterUp);
      return hint ?? `dropped ${describeObject(change.object)}, which existed before the up`;
    }
    return `did not restore ${describeChange(change)}`;
  });
}

/** Differences outside the verdict, in words. */
export function describeNotes(before: SchemaSnapshot, after: SchemaSnapshot): string[] {
  return diffSnapshots(before, after).notes.map(
    (change) => `${describeChange(change)} (not part of the verdict)`,
  );
}
