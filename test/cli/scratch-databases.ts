import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import { SCRATCH_PREFIX } from '../../src/core/parts/throwaway/scratch-name.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { dialectOf, serverUrlOf } from '../support/engines.ts';

/** Every scratch database name in a run's output (`--verbose` also names the ones made by resets). */
export function scratchNamesIn(text: string): Set<string> {
  return new Set(text.match(new RegExp(`${SCRATCH_PREFIX}\\d{14}_[0-9a-f]{8}`, 'g')) ?? []);
}

interface NameRow {
  readonly name: string;
}

/** An administrative connection to a test server, to look at its scratch databases. */
export class ScratchInspector implements AsyncDisposable {
  readonly engine: TestEngine;
  readonly #db: Kysely<any>;

  private constructor(engine: TestEngine, db: Kysely<any>) {
    this.engine = engine;
    this.#db = db;
  }

  static async open(engine: TestEngine): Promise<ScratchInspector> {
    const url = serverUrlOf(engine);
    if (url === undefined) throw new Error(`${engine} has no server`);
    const { db } = await openDatabase(parseConnectionUrl(url));
    return new ScratchInspector(engine, db);
  }

  /** The scratch databases (`migration_gate_...`) that exist on the server now. */
  async existing(): Promise<string[]> {
    const pattern = `${SCRATCH_PREFIX.replaceAll('_', '\\_')}%`;
    const query =
      dialectOf(this.engine) === 'postgres'
        ? sql<NameRow>`select datname as name from pg_database where datname like ${pattern}`
        : sql<NameRow>`select schema_name as name from information_schema.schemata
            where schema_name like ${pattern}`;
    const { rows } = await query.execute(this.#db);
    return rows.map((row) => row.name).sort();
  }

  /** Whether a statement containing `fragment` is running in database `name` (e.g. a sleep). */
  async isRunning(name: string, fragment: string): Promise<boolean> {
    const like = `%${fragment}%`;
    const query =
      dialectOf(this.engine) === 'postgres'
        ? sql`select pid from pg_stat_activity
            where datname = ${name} and state = 'active' and query like ${like}`
        : sql`select id from information_schema.processlist where db = ${name} and info like ${like}`;
    const { rows } = await query.execute(this.#db);
    return rows.length > 0;
  }

  /** Waits until {@link isRunning}; bounded by the calling test's timeout. */
  async waitUntilRunning(name: string, fragment: string, stillAlive: () => boolean): Promise<void> {
    while (!(await this.isRunning(name, fragment))) {
      if (!stillAlive()) throw new Error(`the run ended before ${fragment} ran in ${name}`);
      await delay(100);
    }
  }

  /** Drops a scratch database a failed test may have left behind. */
  async drop(name: string): Promise<void> {
    const force = dialectOf(this.engine) === 'postgres' ? sql` with (force)` : sql``;
    await sql`drop database if exists ${sql.id(name)}${force}`.execute(this.#db);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#db.destroy();
  }
}
