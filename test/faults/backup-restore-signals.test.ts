import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { expect, test } from 'vitest';
import type { RowCounts } from '../../src/core/model/backup-record.ts';
import { diffSnapshots } from '../../src/core/parts/schema/diff.ts';
import type { SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import type { BackupTarget } from '../backup/backup-target.ts';
import { createBackupTarget } from '../backup/backup-target.ts';
import { spawnCli } from '../cli/spawn-cli.ts';
import { imageMirrorEnv } from '../support/docker.ts';
import { createTemporaryFolder, verifiedBackupOf } from '../restore/restore-fixture.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, isServer } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';

/** Enough rows that dumping and loading them takes a moment to interrupt. */
const BULK_ROWS = 200_000;
const SCRATCH = /scratch database (migration_gate_\d{14}_[0-9a-f]{8})/g;

interface State {
  readonly schema: SchemaSnapshot;
  readonly rowCounts: RowCounts;
}

async function addBulk(engine: TestEngine, db: Kysely<any>): Promise<void> {
  await sql`create table bulk (id int primary key, filler varchar(120) not null)`.execute(db);
  // MariaDB's seq_1_to_n tables are absent from Oracle MySQL: six digits cross-joined serve both.
  const digits = sql.raw(
    '(select 0 as d union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9)',
  );
  const rows =
    dialectOf(engine) === 'postgres'
      ? sql`select n, repeat('x', 100) from generate_series(1, ${BULK_ROWS}) as n`
      : sql`select n, repeat('x', 100) from (
          select 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d as n
          from ${digits} a, ${digits} b, ${digits} c, ${digits} e, ${digits} f, ${digits} g) numbers
        where n <= ${BULK_ROWS}`;
  await sql`insert into bulk (id, filler) ${rows}`.execute(db);
}

/** The connections still working on `databases` (a dump or restore program the kill orphaned). */
async function sessionsOn(
  engine: TestEngine,
  db: Kysely<any>,
  databases: readonly string[],
): Promise<number> {
  if (databases.length === 0) return 0;
  const query =
    dialectOf(engine) === 'postgres'
      ? sql<{ n: string }>`select count(*) as n from pg_stat_activity
          where datname in (${sql.join(databases)}) and pid <> pg_backend_pid()`
      : sql<{ n: string }>`select count(*) as n from information_schema.processlist
          where db in (${sql.join(databases)}) and id <> connection_id()`;
  return Number((await query.execute(db)).rows[0]?.n ?? 0);
}

/** Waits until a statement on the bulk table runs in `database` (a dump's read, a restore's load). */
async function untilBulkIsWorkedOn(
  engine: TestEngine,
  db: Kysely<any>,
  database: string,
  stillAlive: () => boolean,
): Promise<void> {
  const query =
    dialectOf(engine) === 'postgres'
      ? sql`select pid from pg_stat_activity where datname = ${database} and state = 'active'
          and query ilike '%bulk%' and pid <> pg_backend_pid()`
      : sql`select id from information_schema.processlist where db = ${database}
          and info like '%bulk%' and id <> connection_id()`;
  while ((await query.execute(db)).rows.length === 0) {
    if (!stillAlive()) throw new Error(`the run ended before it worked on the bulk table in ${database}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits (bounded) until nothing works on the target any more, so its state is final. */
async function settled(engine: TestEngine, target: BackupTarget): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    if ((await sessionsOn(engine, target.db, [target.name])) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`something still works on ${target.name} a minute after the kill`);
}

async function existing(engine: TestEngine, db: Kysely<any>, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const query =
    dialectOf(engine) === 'postgres'
      ? sql<{ name: string }>`select datname as name from pg_database where datname in (${sql.join(names)})`
      : sql<{ name: string }>`select schema_name as name from information_schema.schemata
          where schema_name in (${sql.join(names)})`;
  return (await query.execute(db)).rows.map((row) => row.name);
}

function expectState(actual: State, expected: State): void {
  expect(diffSnapshots(expected.schema, actual.schema).changes).toEqual([]);
  expect(actual.rowCounts).toEqual(expected.rowCounts);
}

describeEachEngine(
  'signals during backup and restore (spawned CLI)',
  (engine) => {
    for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
      for (const phase of ['backup', 'restore'] as const) {
        test(`${signal} ${phase === 'backup' ? 'while the fresh backup is taken' : 'while the backup is restored'}: the target is unchanged or fully restored, no table emptied`, async () => {
          await using backups = await createTemporaryFolder();
          await using fresh = await createTemporaryFolder();
          await using target = await createBackupTarget(engine);
          await addBulk(engine, target.db);
          const record = await verifiedBackupOf(target, backups.path);
          const backedUp = await target.read();
          await sql`delete from bulk where id % 2 = 0`.execute(target.db);
          await sql`delete from posts where id = 4`.execute(target.db);
          const before = await target.read();

          const cli = spawnCli(
            [
              'restore',
              '--target-url',
              target.url,
              '--from',
              record.path,
              ...(phase === 'backup' ? ['--backup-dir', fresh.path] : ['--backup', 'none']),
              // Progress then goes to stderr, where the test waits for the phase.
              '--format',
              'json',
            ],
            { env: imageMirrorEnv(engine) },
          );
          // The program doing the phase's work is at the bulk table: the interrupt lands in its
          // middle (its database: the target, or the scratch database a MySQL restore loads).
          const [, loadedInto] = await cli.waitForStderr(
            phase === 'backup'
              ? /backing up /
              : dialectOf(engine) === 'postgres'
                ? /restoring \S+ into \S+ with pg_restore/
                : /loading the backup into scratch database (\w+)/,
          );
          await untilBulkIsWorkedOn(
            engine,
            target.db,
            loadedInto ?? target.name,
            () => cli.child.exitCode === null,
          );
          cli.child.kill(signal);
          const exit = await cli.exited;
          // The interrupt landed before the phase ended, or this test proves nothing.
          expect(exit.stderr).not.toMatch(
            phase === 'backup' ? /backup of \S+ written/ : /restored \S+ into \S+ in \d+ ms/,
          );
          await settled(engine, target);

          const after = await target.read();
          if (phase === 'backup') expectState(after, before);
          else if (JSON.stringify(after.rowCounts) === JSON.stringify(before.rowCounts))
            expectState(after, before);
          else expectState(after, backedUp);
          for (const [table, count] of Object.entries(after.rowCounts)) {
            expect(count, `${table} was emptied`).toBeGreaterThan(backedUp.rowCounts[table] === 0 ? -1 : 0);
          }

          const scratch = [...new Set([...exit.stderr.matchAll(SCRATCH)].map((match) => match[1]!))];
          const left = await existing(engine, target.db, scratch);
          if (signal === 'SIGTERM') {
            expect(exit.code, exit.stderr).toBe(143);
            expect(left).toEqual([]);
          } else {
            // kill -9 runs no cleanup: what is left carries the scratch prefix for the sweep at
            // the next run's start; this test drops it itself.
            for (const name of left) {
              await sql`drop database ${sql.id(name)}${dialectOf(engine) === 'postgres' ? sql` with (force)` : sql``}`.execute(
                target.db,
              );
            }
          }
        }, 120_000);
      }
    }
  },
  AVAILABLE_ENGINES.filter(isServer),
);
