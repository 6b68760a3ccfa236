import { UsageError } from '../../model/errors.ts';
import { displayPath } from './display-path.ts';
import type { Migration } from './migration.ts';
import { flywayVersion } from './sql-file-names.ts';

/**
 * Flyway runs `V2__b` before `V10__a`, by version; Kysely's order, which this tool keeps, is by
 * name, where `V10__a` comes first. Such a folder is refused rather than run out of order.
 */
export function checkFlywayOrder(migrations: readonly Migration[]): void {
  const versioned = migrations
    .map((migration) => ({ migration, version: flywayVersion(migration.name) }))
    .filter((entry): entry is { migration: Migration; version: number[] } => entry.version !== undefined);
  const byName = [...versioned].sort((a, b) => (a.migration.name < b.migration.name ? -1 : 1));
  const byVersion = [...versioned].sort((a, b) => compareVersions(a.version, b.version));
  const at = byName.findIndex((entry, index) => entry !== byVersion[index]);
  if (at < 0) return;
  const [early, due] = [byName[at]!.migration, byVersion[at]!.migration];
  throw new UsageError(
    `${displayPath(early.source.path)} sorts before ${displayPath(due.source.path)} by name, the order ` +
      'Kysely runs migrations in, but Flyway runs it later by version: give the versions one width ' +
      '(V001__, V002__, ..., V010__) so that both orders agree',
    { file: early.source.path },
  );
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
