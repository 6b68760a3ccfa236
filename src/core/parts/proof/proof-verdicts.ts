import type { MigrationResult } from '../../model/migration-result.ts';
import type { Migration } from '../migrations/migration.ts';

/**
 * The verdict on a migration whose down is not run: declared irreversible on purpose, or
 * missing its down. Undefined when it has a down to prove.
 */
export function verdictWithoutDown(
  migration: Migration,
): Pick<MigrationResult, 'status' | 'reason' | 'message'> | undefined {
  if (migration.irreversible !== undefined)
    return { status: 'declared-irreversible', reason: migration.irreversible };
  if (migration.down !== undefined) return undefined;
  return {
    status: 'missing-down',
    message: `${migration.name} has no down; write one, or declare it irreversible with a reason (${IRREVERSIBLE_DECLARATIONS[migration.source.format]})`,
  };
}

/** How each format declares a migration irreversible, as README's "Declarations" shows. */
const IRREVERSIBLE_DECLARATIONS: Readonly<Record<Migration['source']['format'], string>> = {
  module: "export const irreversible = '<reason>'",
  'index-module': "irreversible: '<reason>' on the migration object",
  sql: 'a line -- migration-gate:irreversible <reason>',
};

/** Which directions of a migration are empty SQL files. */
export function emptyDirections(migration: Migration): ('up' | 'down')[] {
  return (['up', 'down'] as const).filter((direction) => migration.empty[direction]);
}
