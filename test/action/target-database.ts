import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { parseConnectionUrl, withDatabase } from '../../src/core/database/connection-url.ts';
import { openDatabase } from '../../src/core/database/connect.ts';
import { scratchDatabaseName } from '../../src/core/throwaway/scratch-name.ts';
import type { TestEngine } from '../support/engines.ts';
import { serverUrlOf } from '../support/engines.ts';

/** An empty database on an engine's local server, standing in for production; dropped on disposal. */
export interface TargetDatabase extends AsyncDisposable {
  /** Its URL, as the workflow's secret would hold it. */
  readonly url: string;
  readonly db: Kysely<any>;
  /** The names Kysely's migration table lists, in order; [] when it does not exist. */
  applied(): Promise<string[]>;
}

/** Creates a {@link TargetDatabase}; with `password`, its URL carries one (trust auth ignores it). */
export async function createTargetDatabase(engine: TestEngine, password?: string): Promise<TargetDatabase> {
  const serverUrl = serverUrlOf(engine);
  if (serverUrl === undefined) throw new Error(`${engine} has no server`);
  const server = parseConnectionUrl(serverUrl);
  const admin = await openDatabase(server.dialect === 'postgres' ? withDatabase(server, 'postgres') : server);
  const name = scratchDatabaseName();
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const target = withDatabase(server, name);
  const { db } = await openDatabase(target);
  const url = new URL(target.url.href);
  if (password !== undefined) url.password = encodeURIComponent(password);
  return {
    url: url.href,
    db,
    async applied() {
      try {
        const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
        return rows.map((row) => row.name as string);
      } catch {
        return [];
      }
    },
    async [Symbol.asyncDispose]() {
      await db.destroy();
      const force = engine === 'postgres' ? sql` with (force)` : sql``;
      await sql`drop database if exists ${sql.id(name)}${force}`.execute(admin.db);
      await admin.db.destroy();
    },
  };
}
