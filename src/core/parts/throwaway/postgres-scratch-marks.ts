import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { SCRATCH_PREFIX } from './scratch-name.ts';
import type { ScratchMarks } from './scratch-marks.ts';
import { ownerMarker, parseOwnerMarker, thisProcessAsOwner } from './scratch-owner.ts';
import type { ScratchSighting } from './scratch-staleness.ts';

/**
 * Postgres keeps the owner in the database's own comment (`COMMENT ON DATABASE`): it lives and
 * dies with the database, and needs no object inside it that a snapshot would see.
 */
export class PostgresScratchMarks implements ScratchMarks {
  readonly #admin: Kysely<any>;

  constructor(admin: Kysely<any>) {
    this.#admin = admin;
  }

  async create(name: string): Promise<void> {
    const { rows } = await sql<{ now: Date }>`select now() as now`.execute(this.#admin);
    await sql`create database ${sql.id(name)}`.execute(this.#admin);
    // CREATE DATABASE cannot run in a transaction, so the comment follows it; a run killed in
    // between leaves an unmarked database, which a sweep never takes for its own.
    const marker = ownerMarker(thisProcessAsOwner(new Date(rows[0]!.now)));
    await sql`comment on database ${sql.id(name)} is ${sql.lit(marker)}`.execute(this.#admin);
  }

  async forget(): Promise<void> {
    // The comment went with the database.
  }

  async sightings(): Promise<ScratchSighting[]> {
    const pattern = `${SCRATCH_PREFIX.replaceAll('_', '\\_')}%`;
    const { rows } = await sql<{ name: string; marker: string | null; sessions: number; now_ms: string }>`
      select d.datname as name, shobj_description(d.oid, 'pg_database') as marker,
        (select count(*) from pg_stat_activity a where a.datid = d.oid)::int as sessions,
        (extract(epoch from now()) * 1000)::float8 as now_ms
      from pg_database d where d.datname like ${pattern}`.execute(this.#admin);
    return rows.flatMap((row) => {
      const owner = parseOwnerMarker(row.marker);
      if (owner === undefined) return [];
      const ageMs = Number(row.now_ms) - Date.parse(owner.started);
      return [{ name: row.name, owner, ageMs, sessions: Number(row.sessions) }];
    });
  }
}
