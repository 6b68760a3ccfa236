import { Migrator, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { parseConnectionUrl, withDatabase } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import type { Migration } from '../../src/core/parts/migrations/migration.ts';
import { scratchDatabaseName } from '../../src/core/parts/throwaway/scratch-name.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { serverUrlOf } from '../support/engines.ts';
import { optional } from '../../src/core/model/optional.ts';

/**
 * A database standing in for production in tests: a uniquely named database on a test server,
 * written by the test (as deployments would), dropped on disposal.
 */
export interface TargetDatabase extends AsyncDisposable {
  /** Its URL, as a user would pass it to `--target-url`. */
  readonly url: string;
  /** A writable connection for the test's own setup. */
  readonly db: Kysely<any>;
  /** Applies migrations with Kysely's own Migrator, up to and including `last`. */
  migrateTo(migrations: readonly Migration[], last: string, migrationTableName?: string): Promise<void>;
}

/**
 * Creates a {@link TargetDatabase} on a server engine's test server. With `password`, its URL
 * carries one, as a secret would (the local Postgres's trust auth ignores it).
 */
export async function createTargetDatabase(engine: TestEngine, password?: string): Promise<TargetDatabase> {
  const serverUrl = serverUrlOf(engine);
  if (serverUrl === undefined) throw new Error(`${engine} has no server`);
  return createTargetDatabaseOn(serverUrl, password);
}

/** A {@link TargetDatabase} on any server, e.g. one in a container the test started. */
export async function createTargetDatabaseOn(serverUrl: string, password?: string): Promise<TargetDatabase> {
  const server = parseConnectionUrl(serverUrl);
  const admin = await openDatabase(server);
  const name = scratchDatabaseName();
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const target = withDatabase(server, name);
  const { db } = await openDatabase(target);
  const url = new URL(target.url.href);
  if (password !== undefined) url.password = encodeURIComponent(password);
  return {
    url: url.href,
    db,
    async migrateTo(migrations, last, migrationTableName) {
      const migrator = new Migrator({
        db,
        ...(migrationTableName === undefined
          ? {}
          : { migrationTableName, migrationLockTableName: `${migrationTableName}_lock` }),
        provider: {
          getMigrations: async () =>
            Object.fromEntries(migrations.map((m) => [m.name, { up: m.up, ...optional('down', m.down) }])),
        },
      });
      const { error } = await migrator.migrateTo(last);
      if (error !== undefined) throw error;
    },
    async [Symbol.asyncDispose]() {
      await db.destroy();
      const force = server.dialect === 'postgres' ? sql` with (force)` : sql``;
      await sql`drop database if exists ${sql.id(name)}${force}`.execute(admin.db);
      await admin.db.destroy();
    },
  };
}
