import { UsageError } from '../../model/errors.ts';
import type { Migration } from '../../parts/migrations/migration.ts';

/**
 * The pending migrations to apply: all of them, or with `to` those up to and including that one
 * (Kysely's `migrateTo`, upwards only). A name the folder lacks, or one the target applied
 * already, is a usage error: apply never runs a down.
 */
export function migrationsToApply(
  pending: readonly Migration[],
  applied: readonly string[],
  to: string | undefined,
): Migration[] {
  if (to === undefined) return [...pending];
  const index = pending.findIndex((migration) => migration.name === to);
  if (index !== -1) return pending.slice(0, index + 1);
  if (applied.includes(to)) {
    throw new UsageError(`cannot apply up to ${to}: the target has applied it already`);
  }
  throw new UsageError(`cannot apply up to ${to}: no pending migration of that name`);
}
