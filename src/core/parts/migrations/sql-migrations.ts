import { readFile } from 'node:fs/promises';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError } from '../../model/errors.ts';
import { sqlAcknowledgements } from './acknowledgements.ts';
import { checksumOf } from './checksum.ts';
import { displayPath } from './display-path.ts';
import type { Migration } from './migration.ts';
import type { SqlFileRole } from './sql-file-names.ts';
import { flywayVersion } from './sql-file-names.ts';
import { checkFlywayOrder } from './flyway-order.ts';
import { migrateSections, sqlDirectives, wholeFile } from './sql-source.ts';
import type { SqlSection } from './sql-source.ts';
import { sqlScript, sqlStep } from './sql-step.ts';
import { statementsOutsideTransaction } from './outside-transaction.ts';
import { optional } from '../../model/optional.ts';

/** A SQL file found in a migrations folder, with what its name says about it. */
export interface SqlFile {
  readonly path: string;
  readonly role: SqlFileRole;
}

/**
 * Builds SQL migrations from the SQL files of a folder. For each migration and direction, a
 * file with the dialect's infix wins over a generic one; files for other dialects are ignored.
 * An empty (or comments-only) file is a legitimate no-op, flagged in `migration.empty`.
 */
export async function sqlMigrations(files: readonly SqlFile[], dialect: DialectName): Promise<Migration[]> {
  const byName = new Map<string, SqlFile[]>();
  for (const file of files) {
    if (file.role.dialect !== undefined && file.role.dialect !== dialect) continue;
    if (/^R__/.test(file.role.name)) {
      throw new UsageError(
        `${displayPath(file.path)} is a Flyway repeatable migration, which has no place in an ordered ` +
          'history of ups and downs: move it out of the migrations folder, or make it a versioned V<n>__ one',
        { file: file.path },
      );
    }
    byName.set(file.role.name, [...(byName.get(file.role.name) ?? []), file]);
  }
  const migrations: Migration[] = [];
  for (const [name, group] of byName) migrations.push(await sqlMigration(name, group, dialect));
  checkFlywayOrder(migrations);
  return migrations;
}

async function sqlMigration(
  name: string,
  group: readonly SqlFile[],
  dialect: DialectName,
): Promise<Migration> {
  const read = new Map<string, string>();
  for (const file of group) read.set(file.path, await readFile(file.path, 'utf8'));
  const upFile = pick(group, 'up', read);
  const downFile = pick(group, 'down', read);
  if (upFile === undefined) {
    const orphan = downFile!.path;
    const example = flywayVersion(name) === undefined ? `${name}.up.sql` : `${name}.sql`;
    throw new UsageError(`${displayPath(orphan)} has no matching up file (such as ${example})`, {
      file: orphan,
    });
  }
  const texts = new Map<string, string>();
  for (const file of new Set([upFile.path, downFile?.path ?? upFile.path])) texts.set(file, read.get(file)!);
  const up = section(upFile, 'up', texts);
  const down = downFile === undefined ? undefined : section(downFile, 'down', texts);
  const upScript = sqlScript(up!, dialect);
  const downScript = down === undefined ? undefined : sqlScript(down, dialect);
  const directives = sqlDirectives([...texts.values()]);
  // Up and down are judged apart: either may be the one Postgres refuses in a transaction.
  const outside = [upScript, downScript].map((script) =>
    script === undefined ? undefined : statementsOutsideTransaction(script.statements, dialect),
  );
  const outsideTransaction = directives.transactional
    ? (outside[0] ?? (outside[1] === undefined ? undefined : `its down's ${outside[1]}`))
    : undefined;
  return {
    name,
    source: {
      format: 'sql',
      path: upFile.path,
      ...(downFile !== undefined && downFile.path !== upFile.path ? { downPath: downFile.path } : {}),
    },
    up: sqlStep(upScript),
    down: downScript === undefined ? undefined : sqlStep(downScript),
    irreversible: directives.irreversible,
    transactional: directives.transactional && outsideTransaction === undefined,
    ...optional('outsideTransaction', outsideTransaction),
    empty: { up: upScript.statements.length === 0, down: downScript?.statements.length === 0 },
    checksum: checksumOf(...texts.values()),
    acknowledged: sqlAcknowledgements(texts),
    script: {
      up: upScript.statements,
      ...(downScript === undefined ? {} : { down: downScript.statements }),
    },
  };
}

/**
 * The file serving `part`: the dialect's own before a generic one; two at one level is an
 * error. A single-file migration serves the down only when it has a `-- migrate:down`
 * section, so `x.down.sql` may sit beside an up-only `x.sql` (drizzle-kit's files).
 */
function pick(
  group: readonly SqlFile[],
  part: 'up' | 'down',
  texts: ReadonlyMap<string, string>,
): SqlFile | undefined {
  const serves = (file: SqlFile) =>
    file.role.part === part ||
    (file.role.part === 'both' &&
      (part === 'up' || migrateSections(file.path, texts.get(file.path)!).down !== undefined));
  const candidates = group.filter(serves);
  const specific = candidates.filter((file) => file.role.dialect !== undefined);
  const level = specific.length > 0 ? specific : candidates;
  if (level.length > 1) {
    const [first, second] = level.map((file) => displayPath(file.path));
    throw new UsageError(
      `duplicate migration name ${level[0]!.role.name}: ${first} and ${second} both define its ${part}`,
      { file: level[1]!.path },
    );
  }
  return level[0];
}

/** The text of one direction: a whole `.up.sql`/`.down.sql` file, or a section of a single file. */
function section(
  file: SqlFile,
  part: 'up' | 'down',
  texts: ReadonlyMap<string, string>,
): SqlSection | undefined {
  const text = texts.get(file.path)!;
  if (file.role.part !== 'both') return wholeFile(file.path, text);
  return migrateSections(file.path, text)[part];
}
