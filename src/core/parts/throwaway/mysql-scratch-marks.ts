import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { ScratchMarks } from './scratch-marks.ts';
import { thisProcessAsOwner } from './scratch-owner.ts';
import type { ScratchSighting } from './scratch-staleness.ts';

/** The registry's database: its name does not match the scratch pattern, so no sweep sees it. */
export const MYSQL_SCRATCH_REGISTRY = 'migration_gate';

/**
 * MySQL has no comment on a database (MariaDB has, MySQL not), and a marker table inside the
 * scratch database would show in every snapshot and get seeded rows. So the owners are rows
 * of one small registry table, `migration_gate.scratch_owner`, written before the database is
 * created: no scratch database ever exists unmarked, and a row whose database is gone is
 * simply forgotten.
 */
export class MysqlScratchMarks implements ScratchMarks {
  readonly #admin: Kysely<any>;

  constructor(admin: Kysely<any>) {
    this.#admin = admin;
  }

  async create(name: string): Promise<void> {
    await sql`create database if not exists ${sql.id(MYSQL_SCRATCH_REGISTRY)}`.execute(this.#admin);
    await sql`create table if not exists ${sql.id(MYSQL_SCRATCH_REGISTRY, 'scratch_owner')} (
        name varchar(64) character set utf8mb3 not null primary key,
        host varchar(255) not null,
        pid bigint not null,
        started datetime(3) not null
      )`.execute(this.#admin);
    const { host, pid } = thisProcessAsOwner(new Date());
    await sql`insert into ${sql.id(MYSQL_SCRATCH_REGISTRY, 'scratch_owner')} (name, host, pid, started)
      values (${name}, ${host}, ${pid}, utc_timestamp(3))`.execute(this.#admin);
    try {
      await sql`create database ${sql.id(name)}`.execute(this.#admin);
    } catch (error) {
      await this.forget(name).catch(() => {});
      throw error;
    }
  }

  async forget(name: string): Promise<void> {
    await sql`delete from ${sql.id(MYSQL_SCRATCH_REGISTRY, 'scratch_owner')} where name = ${name}`.execute(
      this.#admin,
    );
  }

  async sightings(): Promise<ScratchSighting[]> {
    let rows: readonly SightingRow[];
    try {
      // Compared in information_schema's collation, named: the registry's column has the
      // server's default utf8mb3 collation, which MariaDB 11.8 (uca1400) cannot compare with
      // information_schema's utf8mb3_general_ci ("Illegal mix of collations").
      ({ rows } = await sql<SightingRow>`
        select o.name, o.host, o.pid, date_format(o.started, '%Y-%m-%dT%H:%i:%s.%fZ') as started,
          timestampdiff(microsecond, o.started, utc_timestamp(3)) div 1000 as age_ms,
          (select count(*) from information_schema.processlist p where p.db = o.name collate utf8mb3_general_ci) as sessions,
          (select count(*) from information_schema.schemata s where s.schema_name = o.name collate utf8mb3_general_ci) as present
        from ${sql.id(MYSQL_SCRATCH_REGISTRY, 'scratch_owner')} o`.execute(this.#admin));
    } catch (error) {
      // No registry yet: no run on this server ever marked a database.
      if (['ER_BAD_DB_ERROR', 'ER_NO_SUCH_TABLE'].includes(String((error as { code?: unknown }).code)))
        return [];
      throw error;
    }
    const sightings: ScratchSighting[] = [];
    for (const row of rows) {
      const sighting = {
        name: row.name,
        owner: { host: row.host, pid: Number(row.pid), started: row.started },
        ageMs: Number(row.age_ms),
        sessions: Number(row.sessions),
      };
      if (Number(row.present) > 0) sightings.push(sighting);
      else await this.forget(row.name);
    }
    return sightings;
  }
}

interface SightingRow {
  readonly name: string;
  readonly host: string;
  readonly pid: number | string;
  readonly started: string;
  readonly age_ms: number | string;
  readonly sessions: number | string;
  readonly present: number | string;
}
