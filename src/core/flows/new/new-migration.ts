import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../model/errors.ts';
import { readKyselyCtlSettings } from '../../parts/migrations/kysely-config.ts';
import { scanMigrationFolder } from '../../parts/migrations/migration-folder.ts';
import type { FolderContents } from '../../parts/migrations/migration-folder.ts';
import { newMigrationName } from '../../parts/migrations/new-migration-name.ts';

/** What `new` needs. */
export interface NewMigrationRequest {
  /** What the migration does, e.g. `add_users`; the folder's prefix is added. */
  readonly name: string;
  readonly cwd: string;
  /** The folder; when absent, kysely-ctl's configured one, else `./migrations`. */
  readonly migrations?: string;
  /** Up and down SQL files in the folder's SQL layout, instead of a TypeScript module. */
  readonly sql?: boolean;
  /** The clock a timestamp prefix is read from (tests fix it). */
  readonly now?: Date;
}

/** What `new` wrote. */
export interface NewMigrationResult {
  /** The migration's name, prefix included. */
  readonly name: string;
  /** The files written, absolute. */
  readonly files: readonly string[];
}

/**
 * Writes a new migration with an up and a down into the project's folder, named in the
 * folder's style so it sorts last (see newMigrationName): a Kysely module, or with `sql` SQL
 * files laid out as the folder's SQL migrations are (`name.up.sql` and `name.down.sql` unless
 * the folder uses dbmate's single files or a folder per migration). Never overwrites a file.
 */
export async function writeNewMigration(request: NewMigrationRequest): Promise<NewMigrationResult> {
  const settings = request.migrations === undefined ? await readKyselyCtlSettings(request.cwd) : undefined;
  const folder = resolve(request.cwd, request.migrations ?? settings?.migrationFolder ?? 'migrations');
  const found = await stat(folder).catch(() => undefined);
  if (found !== undefined && !found.isDirectory()) {
    throw new UsageError(`new writes into a migrations folder, and ${folder} is a file`, { file: folder });
  }
  await mkdir(folder, { recursive: true });
  const contents = await scanMigrationFolder(folder);
  const existing = [
    ...new Set([...contents.modules.map((m) => m.name), ...contents.sqlFiles.map((f) => f.role.name)]),
  ].sort();
  const name = newMigrationName(request.name, existing, request.now ?? new Date());
  const files = request.sql === true ? sqlFiles(folder, name, contents) : moduleFile(folder, name);
  for (const [path, text] of files) {
    await mkdir(dirname(path), { recursive: true });
    // `wx`: a file that exists already is an error, never overwritten.
    await writeFile(path, text, { flag: 'wx' }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new UsageError(`${path} exists already`, { file: path });
      throw error;
    });
  }
  return { name, files: files.map(([path]) => path) };
}

function moduleFile(folder: string, name: string): [string, string][] {
  return [
    [
      join(folder, `${name}.ts`),
      `import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // await db.schema.createTable('example').addColumn('id', 'integer', (col) => col.primaryKey()).execute();
}

// Undoes exactly what up does: migration-gate check proves it.
export async function down(db: Kysely<any>): Promise<void> {
  // await db.schema.dropTable('example').execute();
}
`,
    ],
  ];
}

/** The SQL files of `name` in the layout the folder's SQL migrations already use. */
function sqlFiles(folder: string, name: string, contents: FolderContents): [string, string][] {
  const up = `-- up of ${name}\n`;
  const down = `-- down of ${name}: undoes exactly what the up does (migration-gate check proves it)\n`;
  if (contents.sqlFiles.some((file) => dirname(file.path) !== folder)) {
    return [
      [join(folder, name, 'up.sql'), up],
      [join(folder, name, 'down.sql'), down],
    ];
  }
  if (contents.sqlFiles.some((file) => file.role.part === 'both')) {
    return [[join(folder, `${name}.sql`), `-- migrate:up\n\n-- migrate:down\n`]];
  }
  return [
    [join(folder, `${name}.up.sql`), up],
    [join(folder, `${name}.down.sql`), down],
  ];
}
