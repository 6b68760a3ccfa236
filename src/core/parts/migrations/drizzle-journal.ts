import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DialectName } from '../../model/dialect.ts';
import { UsageError, messageOf } from '../../model/errors.ts';
import { displayPath } from './display-path.ts';
import type { SqlFile } from './sql-migrations.ts';

/** Where drizzle-kit keeps the list of the migrations it generated, in a migrations folder. */
const JOURNAL = join('meta', '_journal.json');

/** The dialects of drizzle-kit's journal this tool proves. */
const JOURNAL_DIALECTS: Readonly<Record<string, DialectName>> = { postgresql: 'postgres', mysql: 'mysql' };

interface Journal {
  readonly dialect?: unknown;
  readonly entries?: readonly { readonly idx?: unknown; readonly tag?: unknown }[];
}

/**
 * Holds a drizzle-kit folder to its `meta/_journal.json`, which is what drizzle's migrator
 * runs: every entry must have its `<tag>.sql`, every up file must be an entry, the journal's
 * order must be the name order this tool (and Kysely) runs in, and its dialect the one proven.
 * Nothing happens in a folder without a journal.
 */
export async function checkDrizzleJournal(
  folder: string,
  sqlFiles: readonly SqlFile[],
  dialect: DialectName,
): Promise<void> {
  const file = join(folder, JOURNAL);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const where = displayPath(file);
  const refuse = (message: string) => new UsageError(`${where}: ${message}`, { file });
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
  } catch (error) {
    throw refuse(`not JSON: ${messageOf(error)}`);
  }
  const journalDialect = typeof journal.dialect === 'string' ? journal.dialect : undefined;
  if (journalDialect !== undefined && JOURNAL_DIALECTS[journalDialect] !== dialect) {
    const wanted = JOURNAL_DIALECTS[journalDialect];
    throw refuse(
      wanted === undefined
        ? `the migrations are for ${journalDialect}; migration-gate proves postgresql and mysql ones`
        : `the migrations are for ${journalDialect}: run with --dialect ${wanted}`,
    );
  }
  const tags = (journal.entries ?? []).map((entry) => entry.tag);
  if (!tags.every((tag): tag is string => typeof tag === 'string' && tag !== ''))
    throw refuse('an entry has no tag (the migration file name without .sql)');
  const ups = new Set(
    sqlFiles.filter((sqlFile) => sqlFile.role.part !== 'down').map((sqlFile) => sqlFile.role.name),
  );
  const missing = tags.find((tag) => !ups.has(tag));
  if (missing !== undefined)
    throw refuse(
      `lists ${missing}, which has no file ${missing}.sql: restore it, or remove it with drizzle-kit drop`,
    );
  const listed = new Set(tags);
  const unlisted = [...ups].find((name) => !listed.has(name));
  if (unlisted !== undefined) {
    throw refuse(
      `does not list ${unlisted}, so drizzle's migrator would never run it: generate migrations with drizzle-kit generate, or add its entry`,
    );
  }
  const sorted = [...tags].sort();
  const at = tags.findIndex((tag, index) => sorted[index] !== tag);
  if (at >= 0) {
    throw refuse(
      `runs ${tags[at]} at position ${at}, but migrations run in name order, which puts ${sorted[at]} there: rename the files so that name order is the journal's`,
    );
  }
}
