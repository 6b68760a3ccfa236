import type { Kysely } from 'kysely';
import { UsageError } from '../../model/errors.ts';
import type { MigrationMeta } from '../../model/migration-meta.ts';
import { optional } from '../../model/optional.ts';
import { moduleAcknowledgements } from './acknowledgements.ts';
import { guardedStep } from './guarded-step.ts';
import type { Migration, MigrationSourceInfo } from './migration.ts';

/** Where a migration object came from, for building it and for naming it in errors. */
export interface MigrationObjectOrigin {
  readonly name: string;
  readonly source: MigrationSourceInfo;
  readonly checksum: string;
  /** How errors refer to the object: "migration module db/001.ts", "export _001 of index.ts". */
  readonly description: string;
}

/**
 * Builds a migration from a Kysely-style object: a module's exports or an index-module entry.
 *
 * Beside `up(db)` and an optional `down(db)`, the object may declare:
 * - `irreversible`: a string giving the reason it has no working down on purpose (`true` is
 *   accepted with a generic reason), so it is reported as intended rather than as a defect;
 * - `transaction = false`: run outside the per-migration transaction (for statements such as
 *   `CREATE INDEX CONCURRENTLY` that refuse to run inside one);
 * - `acknowledge`: risks it takes on purpose, `{ 'drop-column': 'reason', ... }` (ids of the
 *   risk rules in `core/plan/risks`), so they do not fail the gate;
 * - Kysera's metadata: `description`, `breaking`, `estimatedDuration` (milliseconds) and
 *   `tags`, shown in the plan.
 */
export function migrationFromObject(
  object: Readonly<Record<string, unknown>>,
  origin: MigrationObjectOrigin,
): Migration {
  const up = object['up'];
  const down = object['down'];
  if (!isFunction(up)) {
    throw originError(`${origin.description} has no up function`, origin);
  }
  if (down !== undefined && !isFunction(down)) {
    throw originError(`${origin.description} exports a down that is not a function`, origin);
  }
  return {
    name: origin.name,
    source: origin.source,
    up: guardedStep(`up of ${origin.name}`, (db) => up.call(object, db)),
    down:
      down === undefined ? undefined : guardedStep(`down of ${origin.name}`, (db) => down.call(object, db)),
    irreversible: irreversibleReason(object['irreversible'], origin),
    transactional: isTransactional(object['transaction'], origin),
    empty: { up: false, down: false },
    checksum: origin.checksum,
    acknowledged: moduleAcknowledgements(object['acknowledge'], {
      description: origin.description,
      file: origin.source.path,
    }),
    ...optional('meta', metaOf(object, origin)),
  };
}

/** Kysera's metadata fields, checked: a wrong type is refused rather than dropped. */
function metaOf(
  object: Readonly<Record<string, unknown>>,
  origin: MigrationObjectOrigin,
): MigrationMeta | undefined {
  const { description, breaking, estimatedDuration, tags } = object;
  const wrong = (field: string, expected: string) =>
    originError(`${origin.description}: ${field} must be ${expected}`, origin);
  if (description !== undefined && typeof description !== 'string') throw wrong('description', 'a string');
  if (breaking !== undefined && typeof breaking !== 'boolean') throw wrong('breaking', 'true or false');
  if (
    estimatedDuration !== undefined &&
    (typeof estimatedDuration !== 'number' || !Number.isFinite(estimatedDuration) || estimatedDuration < 0)
  )
    throw wrong('estimatedDuration', 'a number of milliseconds, such as 30000 for 30 s');
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string')))
    throw wrong('tags', 'an array of strings');
  const meta: MigrationMeta = {
    ...optional('description', description?.trim() || undefined),
    ...(breaking === true ? { breaking } : {}),
    ...optional('estimatedDurationMs', estimatedDuration),
    ...(tags === undefined || tags.length === 0 ? {} : { tags: tags as string[] }),
  };
  return Object.keys(meta).length === 0 ? undefined : meta;
}

/** Whether `value` looks like a migration object, to tell records of migrations from other exports. */
export function isMigrationObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && typeof (value as { up?: unknown }).up === 'function';
}

type MigrationFunction = (db: Kysely<any>) => unknown;

function isFunction(value: unknown): value is MigrationFunction {
  return typeof value === 'function';
}

function irreversibleReason(value: unknown, origin: MigrationObjectOrigin): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return 'declared irreversible';
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw originError(`${origin.description}: irreversible must be a non-empty string (the reason)`, origin);
}

function isTransactional(value: unknown, origin: MigrationObjectOrigin): boolean {
  if (value === undefined || value === true) return true;
  if (value === false) return false;
  throw originError(`${origin.description}: transaction must be true or false`, origin);
}

function originError(message: string, origin: MigrationObjectOrigin): UsageError {
  return new UsageError(message, { file: origin.source.path });
}
