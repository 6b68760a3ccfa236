import { resolve } from 'node:path';
import { readKyselyCtlSettings } from '../config/kysely-config.ts';
import type { DialectName } from '../dialect.ts';
import { loadMigrations } from '../migrations/load-migrations.ts';
import type { Migration } from '../migrations/migration.ts';

/**
 * The folder's migrations for a target of `dialect`: the folder given, else kysely-ctl's
 * configured one, else `./migrations`. The target decides the dialect.
 */
export async function loadTargetMigrations(
  cwd: string,
  migrations: string | undefined,
  dialect: DialectName,
): Promise<Migration[]> {
  const settings = migrations === undefined ? await readKyselyCtlSettings(cwd) : undefined;
  const path = resolve(cwd, migrations ?? settings?.migrationFolder ?? 'migrations');
  return loadMigrations({ path, dialect });
}
