import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { DialectName } from '../../model/dialect.ts';

/** What migration-gate takes from a kysely-ctl configuration file. */
export interface KyselyCtlSettings {
  /** The configuration file it came from. */
  readonly file: string;
  /** The migrations folder, absolute. */
  readonly migrationFolder: string | undefined;
  readonly dialect: DialectName | undefined;
  /** kysely-ctl's `seeds.seedFolder`, absolute: the project's seeds for the data-aware proof. */
  readonly seedFolder: string | undefined;
}

/** Where kysely-ctl looks for its configuration, in its order. */
const CONFIG_FILES = [
  'kysely.config.ts',
  'kysely.config.mts',
  'kysely.config.js',
  'kysely.config.mjs',
  '.config/kysely.config.ts',
  '.config/kysely.config.mts',
  '.config/kysely.config.js',
  '.config/kysely.config.mjs',
];

/**
 * Reads kysely-ctl's `kysely.config.ts` (or `.config/kysely.config.ts`) for the migrations
 * folder, the dialect and the seed folder. The file is read as text, never executed: running it would import
 * kysely-ctl (maybe not installed) and could open connections to real databases.
 */
export async function readKyselyCtlSettings(cwd: string): Promise<KyselyCtlSettings | undefined> {
  for (const name of CONFIG_FILES) {
    const file = join(cwd, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const folder = /migrationFolder\s*:\s*(['"`])([^'"`]+)\1/.exec(text)?.[2];
    const seedFolder = /seedFolder\s*:\s*(['"`])([^'"`]+)\1/.exec(text)?.[2];
    // kysely-ctl resolves paths from the directory holding its configuration, which for
    // `.config/` is the project root.
    const root = name.startsWith('.config/') ? cwd : dirname(file);
    return {
      file,
      migrationFolder: folder === undefined ? undefined : resolve(root, folder),
      dialect: dialectIn(text),
      seedFolder: seedFolder === undefined ? undefined : resolve(root, seedFolder),
    };
  }
  return undefined;
}

function dialectIn(text: string): DialectName | undefined {
  const named = /dialect\s*:\s*(['"`])([\w-]+)\1/.exec(text)?.[2]?.toLowerCase();
  if (named !== undefined) {
    if (/^(pg|postgres|postgresql|pglite|postgres\.js)$/.test(named)) return 'postgres';
    if (/^(mysql|mysql2|mariadb)$/.test(named)) return 'mysql';
  }
  if (/new\s+(PostgresDialect|PGliteDialect|PostgresJSDialect)\b/.test(text)) return 'postgres';
  if (/new\s+MysqlDialect\b/.test(text)) return 'mysql';
  return undefined;
}
