import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { PROGRESS_TABLE } from '../../src/core/parts/migrations/bookkeeping-tables.ts';
import { AVAILABLE_ENGINES, dialectOf, isServer, serverUrlOf } from '../support/engines.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { createMigrationFolder, sqlMigration } from '../apply/apply-fixture.ts';
import type { MigrationFolder } from '../apply/apply-fixture.ts';
import { spawnCli } from '../cli/spawn-cli.ts';
import { imageMirrorEnv } from '../support/docker.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import {
  appliedNames,
  holdingKyselyLock,
  lockIsHeld,
  progressNames,
  sleepOf,
  waitUntilRunning,
} from './fault-target.ts';

// Faults injected into `migration-gate apply` run as a user runs it (a CLI process): a signal
// or kill -9 during a long statement, Kysely's lock held by another session, two applies at
// once. Each test then looks at the target: Kysely's rows, the progress rows, the lock.

/** Every server engine: PGlite has no sessions to signal, cancel or kill. */
const SERVER_ENGINES = AVAILABLE_ENGINES.filter(isServer);

/** `apply` of `folder` to `url`, without backup, proof or drift check: only the fault matters. */
function applyArgs(url: string, folder: MigrationFolder, ...more: string[]): string[] {
  return [
    'apply',
    '--target-url',
    url,
    '--migrations',
    folder.path,
    '--backup',
    'none',
    '--require-reversible',
    'false',
    '--allow-drift',
    ...more,
  ];
}

const FIRST = { '0001_create_items.sql': sqlMigration('create table items (id int);', 'drop table items;') };

/** A second migration whose second statement sleeps `seconds` on the target (0: not at all). */
function sleepingSecond(engine: TestEngine, seconds: number): Record<string, string> {
  const sleep = seconds === 0 ? '' : `\n${sleepOf(engine).statement(seconds)}`;
  return {
    '0002_log_items.sql': sqlMigration(`create table item_log (id int);${sleep}`, 'drop table item_log;'),
  };
}

describe.each(SERVER_ENGINES)('apply under faults [%s]', (engine) => {
  test("Kysely's lock held by another session: apply waits at most lock-wait naming the holder, exits 1, applies nothing", async () => {
    await using folder = await createMigrationFolder();
    await folder.write(FIRST);
    await using target = await createTargetDatabase(engine);

    const { exit, session } = await holdingKyselyLock(engine, target.db, async (session) => {
      await using cli = spawnCli(applyArgs(target.url, folder, '--lock-wait', '2s'));
      return { exit: await cli.exited, session };
    });

    const output = exit.stdout + exit.stderr;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("waiting for Kysely's migration lock");
    expect(output).toContain('REFUSED (locked)');
    if (dialectOf(engine) === 'postgres') {
      // The holder is this test's own connection, named like every session the tool opens.
      expect(output).toContain(
        `held by Postgres session ${session} (application "migration-gate pid ${process.pid} `,
      );
    } else expect(output).toContain(`held by connection ${session} (`);
    expect(await appliedNames(target.db)).toEqual([]);
    expect(await lockIsHeld(engine, target.db)).toBe(false);
  });

  test('two applies at once: the second waits naming the first as the holder, then judges, backs up and applies after it, nothing twice', async () => {
    await using folder = await createMigrationFolder();
    await using target = await createTargetDatabase(engine);
    // 0002 waits for a lock this test holds, named after the target's database: the first
    // apply stays inside it for as long as the test needs, and the second's replay of 0002 on
    // its throwaway (another database) does not wait.
    const name = new URL(target.url).pathname.slice(1);
    const gate =
      dialectOf(engine) === 'postgres'
        ? 'select pg_advisory_xact_lock(hashtext(current_database()));'
        : "select get_lock(concat('gate-', database()), 60);";
    const gateFragment =
      dialectOf(engine) === 'postgres' ? 'pg_advisory_xact_lock(' : "get_lock(concat('gate-'";
    await folder.write({
      ...FIRST,
      '0002_log_items.sql': sqlMigration(`create table item_log (id int);\n${gate}`, 'drop table item_log;'),
      '0003_tag_items.sql': sqlMigration('create table item_tags (id int);', 'drop table item_tags;'),
    });

    await using processes = new AsyncDisposableStack();
    const { one, two, waiting, first } = await holdingGate(engine, target.db, name, async () => {
      // The first applies up to 0002 only, so that the second has 0003 to back up for and apply.
      const first = processes.use(spawnCli(applyArgs(target.url, folder, '--to', '0002_log_items')));
      await waitUntilRunning(engine, target.db, gateFragment, () => first.child.exitCode === null);
      // The second runs every guard (drift compared on a throwaway) and takes a verified
      // backup: before the lock came first, it judged and backed up a target the first was
      // changing, and was refused as "backup differs".
      const second = processes.use(
        spawnCli(
          [
            'apply',
            '--target-url',
            target.url,
            '--migrations',
            folder.path,
            '--throwaway',
            'server',
            '--server-url',
            serverUrlOf(engine)!,
            '--backup-dir',
            join(folder.root, 'backups'),
          ],
          { env: imageMirrorEnv(engine) },
        ),
      );
      const [waiting] = await second.waitForStderr(/waiting for Kysely's migration lock.*/);
      return { first, waiting, one: first.exited, two: second.exited };
    });

    expect(waiting).toContain(
      dialectOf(engine) === 'postgres'
        ? `migration-gate pid ${first.child.pid} `
        : `running: ${gate.slice(0, -1)}`,
    );
    const [firstExit, secondExit] = await Promise.all([one, two]);
    expect(firstExit.code, firstExit.stdout + firstExit.stderr).toBe(0);
    expect(secondExit.stdout + secondExit.stderr).not.toMatch(/differs|REFUSED/);
    expect(secondExit.code).toBe(0);
    // Its backup was taken after the first had finished, and verified.
    expect(
      (await readdir(join(folder.root, 'backups'))).some((file) => file.endsWith('.manifest.json')),
    ).toBe(true);
    expect(await appliedNames(target.db)).toEqual(['0001_create_items', '0002_log_items', '0003_tag_items']);
    expect(await lockIsHeld(engine, target.db)).toBe(false);
    // Three processes, a proof, a backup and its verification on a machine shared with others.
  }, 180_000);

  for (const { signal, code } of [
    { signal: 'SIGTERM', code: 143 },
    { signal: 'SIGINT', code: 130 },
  ] as const) {
    test(`${signal} mid-statement: the statement is cancelled on the target, the lock released, exit ${code}; the next apply applies nothing twice`, async () => {
      await using folder = await createMigrationFolder();
      await folder.write({ ...FIRST, ...sleepingSecond(engine, 120) });
      await using target = await createTargetDatabase(engine);

      await using cli = spawnCli(applyArgs(target.url, folder));
      await waitUntilRunning(engine, target.db, sleepOf(engine).fragment, () => cli.child.exitCode === null);
      cli.child.kill(signal);
      const exit = await cli.exited;

      expect(exit.code).toBe(code);
      expect(exit.stderr).toContain('cancelling the statement running on the target');
      // Released by the run itself before it exited, not by the session's end.
      expect(await lockIsHeld(engine, target.db)).toBe(false);
      expect(await appliedNames(target.db)).toEqual(['0001_create_items']);
      await folder.write(sleepingSecond(engine, 0));
      await expectNextApply(engine, target.db, target.url, folder);
    });
  }

  test.runIf(dialectOf(engine) === 'mysql')(
    "SIGTERM on a statement that ends without an error once cancelled (Oracle MySQL's bare SELECT SLEEP returns 1): nothing more is sent, the migration is not recorded as applied",
    async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        ...FIRST,
        '0002_log_items.sql': sqlMigration(
          'create table item_log (id int);\nselect sleep(120);\ncreate table item_tags (id int);',
          'drop table item_log;',
        ),
      });
      await using target = await createTargetDatabase(engine);

      await using cli = spawnCli(applyArgs(target.url, folder));
      await waitUntilRunning(engine, target.db, 'sleep(120)', () => cli.child.exitCode === null);
      cli.child.kill('SIGTERM');
      const exit = await cli.exited;

      expect(exit.code).toBe(143);
      expect(await appliedNames(target.db)).toEqual(['0001_create_items']);
      const tags = await sql<{ n: number }>`select count(*) as n from information_schema.tables
        where table_schema = database() and table_name = 'item_tags'`.execute(target.db);
      expect(Number(tags.rows[0]?.n)).toBe(0);
      expect(await lockIsHeld(engine, target.db)).toBe(false);
      await folder.write(sleepingSecond(engine, 0));
      await expectNextApply(engine, target.db, target.url, folder);
    },
  );

  test('kill -9 mid-statement: the session ends with its client, and the next apply applies nothing twice', async () => {
    await using folder = await createMigrationFolder();
    await folder.write({ ...FIRST, ...sleepingSecond(engine, 120) });
    await using target = await createTargetDatabase(engine);

    await using cli = spawnCli(applyArgs(target.url, folder));
    await waitUntilRunning(engine, target.db, sleepOf(engine).fragment, () => cli.child.exitCode === null);
    if (dialectOf(engine) === 'mysql') await waitForProgress(target.db, 'create table item_log');
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');

    expect(await appliedNames(target.db)).toEqual(['0001_create_items']);
    await folder.write(sleepingSecond(engine, 0));
    // The server ends the killed client's session within seconds (Postgres:
    // client_connection_check_interval; MariaDB checks its sleeping clients): the next run
    // names it while it waits, then goes on.
    await expectNextApply(engine, target.db, target.url, folder);
  });
});

/** Holds the gate lock named after database `name` (see the two-applies test) while `work` runs. */
async function holdingGate<T>(
  engine: TestEngine,
  db: Parameters<typeof appliedNames>[0],
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    const [take, release] =
      dialectOf(engine) === 'postgres'
        ? [sql`select pg_advisory_lock(hashtext(${name}))`, sql`select pg_advisory_unlock(hashtext(${name}))`]
        : [sql`select get_lock(${`gate-${name}`}, 5)`, sql`select release_lock(${`gate-${name}`})`];
    await take.execute(connection);
    try {
      return await work();
    } finally {
      await release.execute(connection);
    }
  });
}

/**
 * What the next apply does after a run stopped during 0002: on Postgres 0002 was rolled back
 * whole, so it is applied once now; on MySQL and MariaDB its first statement stayed, so the run refuses
 * naming it and what ran, and once that is undone by hand (a way forward it gives), applies it.
 */
async function expectNextApply(
  engine: TestEngine,
  db: Parameters<typeof appliedNames>[0],
  url: string,
  folder: MigrationFolder,
): Promise<void> {
  if (dialectOf(engine) === 'mysql') {
    expect(await progressNames(db)).toEqual(['0002_log_items']);
    await using refused = spawnCli(applyArgs(url, folder, '--lock-wait', '1min'));
    const exit = await refused.exited;
    const output = exit.stdout + exit.stderr;
    expect(exit.code).toBe(1);
    expect(output).toContain('REFUSED (half-applied): 0002_log_items stopped half-way');
    expect(output).toContain('ran 1: create table item_log (id int)');
    expect(output).toContain(`delete from ${PROGRESS_TABLE} where name = '0002_log_items'`);
    expect(output).not.toContain('differs from its applied migrations');
    await sql`drop table item_log`.execute(db);
    await sql`delete from ${sql.table(PROGRESS_TABLE)} where name = '0002_log_items'`.execute(db);
  }
  await using next = spawnCli(applyArgs(url, folder, '--lock-wait', '1min'));
  const exit = await next.exited;
  expect(exit.code, exit.stdout + exit.stderr).toBe(0);
  expect(await appliedNames(db)).toEqual(['0001_create_items', '0002_log_items']);
  expect(await progressNames(db)).toEqual([]);
  expect(await lockIsHeld(engine, db)).toBe(false);
}

/** Waits until the progress row records `statement` as run: it is written beside the run. */
async function waitForProgress(db: Parameters<typeof appliedNames>[0], statement: string): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ ran: string }>`select ran from ${sql.table(PROGRESS_TABLE)}`.execute(db);
    if (rows.some((row) => row.ran.includes(statement))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
