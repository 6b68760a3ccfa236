import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import { MYSQL_SCRATCH_REGISTRY } from '../../src/core/parts/throwaway/mysql-scratch-marks.ts';
import { ownerMarker } from '../../src/core/parts/throwaway/scratch-owner.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { dialectOf, serverUrlOf } from '../support/engines.ts';

/** The pid of a process that has exited: an owner that is gone. */
export function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  if (pid === undefined) throw new Error('could not start a process');
  return pid;
}

/**
 * An administrative connection to a test server that can rewrite a scratch database's owner,
 * as if another process had created it some time ago, and look at what exists.
 */
export class ScratchServer implements AsyncDisposable {
  readonly engine: TestEngine;
  readonly db: Kysely<any>;

  private constructor(engine: TestEngine, db: Kysely<any>) {
    this.engine = engine;
    this.db = db;
  }

  static async open(engine: TestEngine): Promise<ScratchServer> {
    const { db } = await openDatabase(parseConnectionUrl(serverUrlOf(engine)!));
    return new ScratchServer(engine, db);
  }

  /** Makes `name` look created by `pid` on `host`, `agoMs` before now (by the server's clock). */
  async forgeOwner(name: string, owner: { pid: number; agoMs: number; host?: string }): Promise<void> {
    const host = owner.host ?? hostname();
    if (dialectOf(this.engine) === 'postgres') {
      const { rows } = await sql<{ now: Date }>`select now() as now`.execute(this.db);
      const started = new Date(new Date(rows[0]!.now).getTime() - owner.agoMs).toISOString();
      const marker = ownerMarker({ host, pid: owner.pid, started });
      await sql`comment on database ${sql.id(name)} is ${sql.lit(marker)}`.execute(this.db);
    } else {
      await sql`update ${sql.id(MYSQL_SCRATCH_REGISTRY, 'scratch_owner')}
        set host = ${host}, pid = ${owner.pid},
          started = utc_timestamp(3) - interval ${owner.agoMs * 1000} microsecond
        where name = ${name}`.execute(this.db);
    }
  }

  /** Whether database `name` exists. */
  async exists(name: string): Promise<boolean> {
    const query =
      dialectOf(this.engine) === 'postgres'
        ? sql`select 1 from pg_database where datname = ${name}`
        : sql`select 1 from information_schema.schemata where schema_name = ${name}`;
    return (await query.execute(this.db)).rows.length > 0;
  }

  /** Creates database `name` with no owner mark, as another tool might. */
  async createUnmarked(name: string): Promise<void> {
    await sql`create database ${sql.id(name)}`.execute(this.db);
  }

  /**
   * Ends the sessions still connected to `name`, as the server does by itself once a killed
   * client's statement returns, and waits until they are gone (ending one is asynchronous).
   */
  async endSessions(name: string): Promise<void> {
    const postgres = dialectOf(this.engine) === 'postgres';
    for (;;) {
      const { rows } = await (
        postgres
          ? sql<{ id: number }>`select pid as id from pg_stat_activity where datname = ${name}`
          : sql<{ id: number }>`select id from information_schema.processlist where db = ${name}`
      ).execute(this.db);
      if (rows.length === 0) return;
      for (const { id } of rows) {
        const end = postgres
          ? sql`select pg_terminate_backend(${Number(id)})`
          : sql`kill ${sql.lit(Number(id))}`;
        await end.execute(this.db).catch(() => {});
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Drops database `name` (one this test created) if it is still there. */
  async drop(name: string): Promise<void> {
    const force = dialectOf(this.engine) === 'postgres' ? sql` with (force)` : sql``;
    await sql`drop database if exists ${sql.id(name)}${force}`.execute(this.db);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.db.destroy();
  }
}
