import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { BackupRecord } from '../../src/core/model/backup-record.ts';
import { takeVerifiedBackup } from '../../src/core/parts/backup/take-verified-backup.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import type { BackupTarget } from '../backup/backup-target.ts';
import { toolImageOf } from '../backup/backup-target.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { dialectOf } from '../support/engines.ts';

/** A temporary folder for backups, removed on disposal. */
export interface TemporaryFolder extends AsyncDisposable {
  readonly path: string;
}

/** Creates an empty {@link TemporaryFolder}. */
export async function createTemporaryFolder(): Promise<TemporaryFolder> {
  const path = await mkdtemp(join(tmpdir(), 'migration-gate-restore-'));
  return {
    path,
    async [Symbol.asyncDispose]() {
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** Migrations the restore tests apply with Kysely's own Migrator; the third adds a column. */
const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_create_notes': {
    up: async (db) => {
      await sql`create table notes (id int primary key, body varchar(100))`.execute(db);
    },
    down: async (db) => {
      await sql`drop table notes`.execute(db);
    },
  },
  '0002_seed_notes': {
    up: async (db) => {
      await sql`insert into notes (id, body) values (1, 'first'), (2, 'second')`.execute(db);
    },
    down: async (db) => {
      await sql`delete from notes`.execute(db);
    },
  },
  '0003_add_author_email': {
    up: async (db) => {
      await sql`alter table authors add column email varchar(100)`.execute(db);
    },
    down: async (db) => {
      await sql`alter table authors drop column email`.execute(db);
    },
  },
};

/** Applies the fixture's migrations up to and including `last` with Kysely's Migrator. */
export async function migrateTo(db: Kysely<any>, last: keyof typeof MIGRATIONS): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  const { error } = await migrator.migrateTo(last);
  if (error !== undefined) throw error;
}

/** After the backup: a post deleted by hand and a migration that adds a column. */
export async function changeAfterBackup(target: BackupTarget): Promise<void> {
  await sql`delete from posts where id = 4`.execute(target.db);
  await migrateTo(target.db, '0003_add_author_email');
}

/** A verified backup of `target` written to `dir`; throws when it is not verified. */
export async function verifiedBackupOf(target: BackupTarget, dir: string): Promise<BackupRecord> {
  const result = await takeVerifiedBackup(target.url, {
    dir,
    logger: silentLogger,
    ...toolImageOf(target.engine),
  });
  if (!result.ok) throw new Error(`${result.message}\n${result.details.join('\n')}`);
  return result.record;
}

/** Copies a backup and its manifest into `dir` under another stem, as a second backup there. */
export async function copyBackupAs(record: BackupRecord, dir: string, stem: string): Promise<string> {
  const extension = record.path.slice(record.path.lastIndexOf('.'));
  const file = `${stem}${extension}`;
  await cp(record.path, join(dir, file));
  const manifest = JSON.parse(await readFile(record.manifestPath, 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, `${stem}.manifest.json`), JSON.stringify({ ...manifest, file }));
  return join(dir, file);
}

/** Changes one byte in the middle of a file, keeping its size. */
export async function flipOneByte(path: string): Promise<void> {
  const bytes = await readFile(path);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = bytes[middle]! ^ 0xff;
  await writeFile(path, bytes);
}

/** The column names of a table, in any order. */
export async function columnsOf(engine: TestEngine, db: Kysely<any>, table: string): Promise<string[]> {
  const schema = dialectOf(engine) === 'postgres' ? sql`current_schema()` : sql`database()`;
  const { rows } = await sql<{ name: string }>`select column_name as name from information_schema.columns
    where table_name = ${table} and table_schema = ${schema}`.execute(db);
  return rows.map((row) => row.name).sort();
}
