import { resolve } from 'node:path';
import { readKyselyCtlSettings } from '../migrations/kysely-config.ts';
import { parseConnectionUrl } from '../database/connection-url.ts';
import type { ConnectionTarget } from '../database/connection-url.ts';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';
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
  allowEmpty = false,
): Promise<Migration[]> {
  const settings = migrations === undefined ? await readKyselyCtlSettings(cwd) : undefined;
  const path = resolve(cwd, migrations ?? settings?.migrationFolder ?? 'migrations');
  return loadMigrations({ path, dialect, allowEmpty });
}

/**
 * The target a command works on, parsed from its URL (a MySQL URL must name its database: the
 * migrations live in one), and the folder's migrations for its dialect.
 */
export async function targetAndMigrations(request: {
  readonly targetUrl: string;
  readonly cwd: string;
  readonly migrations?: string;
  readonly allowEmpty?: boolean;
}): Promise<{ target: ConnectionTarget; migrations: Migration[] }> {
  const target = parseConnectionUrl(request.targetUrl);
  if (target.dialect === 'mysql' && target.database === undefined) {
    throw new UsageError(`the target URL ${target.display} names no database`);
  }
  const migrations = await loadTargetMigrations(
    request.cwd,
    request.migrations,
    target.dialect,
    request.allowEmpty,
  );
  return { target, migrations };
}
