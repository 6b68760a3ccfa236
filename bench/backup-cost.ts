import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { takeVerifiedBackup } from '../src/core/parts/backup/take-verified-backup.ts';
import { parseConnectionUrl, withDatabase } from '../src/core/parts/database/connection-url.ts';
import { openDatabase } from '../src/core/parts/database/connect.ts';
import { silentLogger } from '../src/core/model/logger.ts';
import { scratchDatabaseName } from '../src/core/parts/throwaway/scratch-name.ts';

const run = promisify(execFile);

/** What one backup bench measured; sizes in MB (10^6 bytes), times in ms. */
export interface BackupCost {
  /** pg_database_size of the generated database. */
  readonly dataMb: number;
  readonly rows: number;
  readonly generateMs: number;
  readonly bareDumpMs: number;
  readonly bareDumpFileMb: number;
  readonly verifiedDumpMs: number;
  readonly verifyMs: number;
  readonly verifiedTotalMs: number;
  readonly verifiedFileMb: number;
}

/**
 * Generates about `sizeMb` of data in a scratch database on the Postgres server `postgresUrl`
 * (three tables: hex payloads that compress about as well as real text, primary keys, one
 * secondary index), then times a bare `pg_dump --format=custom` of it and takeVerifiedBackup
 * (dump in the read snapshot + restore into a scratch database + schema and row count
 * comparison). Prints a markdown table and drops the scratch database.
 */
export async function benchBackup(postgresUrl: string, sizeMb = 1024): Promise<BackupCost> {
  const server = parseConnectionUrl(postgresUrl);
  const admin = await openDatabase(withDatabase(server, server.database ?? 'postgres'));
  const name = scratchDatabaseName();
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const target = withDatabase(server, name);
  const work = await mkdtemp(join(tmpdir(), 'migration-gate-backup-bench-'));
  try {
    const { db } = await openDatabase(target, { durable: false });
    let generateMs: number;
    let rows: number;
    let dataMb: number;
    try {
      const started = performance.now();
      rows = await generate(db, sizeMb);
      generateMs = performance.now() - started;
      const size = await sql<{ bytes: string }>`select pg_database_size(current_database()) as bytes`.execute(
        db,
      );
      dataMb = Number(size.rows[0]?.bytes ?? 0) / 1e6;
    } finally {
      await db.destroy();
    }

    const bareFile = join(work, 'bare.dump');
    const bareStarted = performance.now();
    await run(
      'pg_dump',
      ['--format=custom', '--no-password', `--file=${bareFile}`, `--dbname=${target.url.href}`],
      {
        maxBuffer: 1 << 20,
      },
    );
    const bareDumpMs = performance.now() - bareStarted;
    const bareDumpFileMb = (await stat(bareFile)).size / 1e6;
    await rm(bareFile);

    const result = await takeVerifiedBackup(target.url.href, {
      dir: join(work, 'verified'),
      logger: silentLogger,
    });
    if (!result.ok) throw new Error(`${result.message}\n${result.details.join('\n')}`);
    const cost: BackupCost = {
      dataMb,
      rows,
      generateMs,
      bareDumpMs,
      bareDumpFileMb,
      verifiedDumpMs: result.record.dumpMs,
      verifyMs: result.record.verifyMs,
      verifiedTotalMs: result.record.durationMs,
      verifiedFileMb: result.record.sizeBytes / 1e6,
    };
    printTable(cost);
    return cost;
  } finally {
    await rm(work, { recursive: true, force: true });
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
    await admin.db.destroy();
  }
}

/** Fills three tables until the database holds about `sizeMb`; returns the row count. */
async function generate(db: Kysely<any>, sizeMb: number): Promise<number> {
  await sql`create table accounts (id bigint primary key, email text not null, created_at timestamptz not null)`.execute(
    db,
  );
  await sql`create table events (
    id bigint primary key,
    account_id bigint not null references accounts (id),
    kind text not null,
    payload text not null,
    at timestamptz not null)`.execute(db);
  await sql`create table documents (id bigint primary key, title text not null, body text not null)`.execute(
    db,
  );
  const accounts = 100_000;
  await sql`insert into accounts select g, 'user' || g || '@example.com', now() - g * interval '1 minute'
    from generate_series(1, ${accounts}) g`.execute(db);
  // About 70% events and 30% documents by bytes; per-row sizes include heap and index overhead.
  const eventRows = Math.round((sizeMb * 1e6 * 0.7) / 390);
  const documentRows = Math.round((sizeMb * 1e6 * 0.3) / 1_300);
  const chunk = 500_000;
  for (let from = 1; from <= eventRows; from += chunk) {
    const to = Math.min(eventRows, from + chunk - 1);
    await sql`insert into events
      select g, 1 + g % ${accounts}, (array['click','view','buy','leave'])[1 + g % 4],
        md5(g::text) || md5((g * 7)::text) || md5((g * 13)::text) || md5((g * 31)::text)
          || md5((g * 61)::text) || md5((g * 97)::text) || md5((g * 101)::text) || md5((g * 131)::text),
        now() - g * interval '1 second'
      from generate_series(${from}::bigint, ${to}::bigint) g`.execute(db);
  }
  for (let from = 1; from <= documentRows; from += chunk) {
    const to = Math.min(documentRows, from + chunk - 1);
    await sql`insert into documents
      select g, 'document ' || g, repeat(md5(g::text) || md5((g * 3)::text) || ' ', 16)
        || md5((g * 5)::text)
      from generate_series(${from}::bigint, ${to}::bigint) g`.execute(db);
  }
  await sql`create index idx_events_account on events (account_id, at)`.execute(db);
  await sql`analyze`.execute(db);
  return accounts + eventRows + documentRows;
}

function printTable(cost: BackupCost): void {
  const rate = (ms: number) => `${(cost.dataMb / (ms / 1000)).toFixed(1)} MB/s`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `\nBackup cost on PostgreSQL: ${cost.dataMb.toFixed(0)} MB database (pg_database_size), ${cost.rows.toLocaleString('en')} rows, generated in ${s(cost.generateMs)}\n`,
  );
  console.log('| step | wall time | throughput (database MB / s) | file |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| bare pg_dump --format=custom | ${s(cost.bareDumpMs)} | ${rate(cost.bareDumpMs)} | ${cost.bareDumpFileMb.toFixed(0)} MB |`,
  );
  console.log(
    `| takeVerifiedBackup: dump (+ counts, schema) | ${s(cost.verifiedDumpMs)} | ${rate(cost.verifiedDumpMs)} | ${cost.verifiedFileMb.toFixed(0)} MB |`,
  );
  console.log(
    `| takeVerifiedBackup: verify (restore + compare) | ${s(cost.verifyMs)} | ${rate(cost.verifyMs)} | |`,
  );
  console.log(`| takeVerifiedBackup: total | ${s(cost.verifiedTotalMs)} | ${rate(cost.verifiedTotalMs)} | |`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url =
    process.env['MIGRATION_GATE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await benchBackup(url, Number(process.env['BENCH_BACKUP_MB'] ?? 1024));
}
