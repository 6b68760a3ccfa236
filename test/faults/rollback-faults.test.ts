import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { PROGRESS_TABLE } from '../../src/core/parts/migrations/bookkeeping-tables.ts';
import type { DialectName } from '../../src/core/model/dialect.ts';
import { AVAILABLE_ENGINES, dialectOf, isServer, serverUrlOf } from '../support/engines.ts';
import { createMigrationFolder, sqlMigration } from '../apply/apply-fixture.ts';
import { spawnCli } from '../cli/spawn-cli.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { appliedNames, lockIsHeld, progressNames, sleepOf, waitUntilRunning } from './fault-target.ts';

// SIGTERM during a rollback's down on the target: the statement is cancelled, the lock
// released, and what the down left is named by the next rollback.

/** Every server engine: PGlite has no sessions to signal or end. */
const SERVER_ENGINES = AVAILABLE_ENGINES.filter(isServer);

/**
 * Sleeps only while the table `hold_rollback` exists: on the target, not in the rehearsal. On
 * MySQL on the first of two rows, so that a cancel fails it on Oracle MySQL too (see SLEEP).
 */
const HELD_SLEEP: Record<DialectName, string> = {
  postgres: `select pg_sleep(case when to_regclass('hold_rollback') is null then 0 else 120 end);`,
  mysql: `select sleep(n * if(exists(select 1 from information_schema.tables
    where table_schema = database() and table_name = 'hold_rollback'), 120, 0)) from (select 1 as n union all select 0) as two_rows;`,
};

describe.each(SERVER_ENGINES)('rollback under SIGTERM [%s]', (engine) => {
  test('mid-down: the statement is cancelled, the lock released, exit 143; the next rollback knows what the down left', async () => {
    await using folder = await createMigrationFolder();
    await folder.write({
      '0001_create_items.sql': sqlMigration('create table items (id int);', 'drop table items;'),
      '0002_log_items.sql': sqlMigration(
        'create table item_log (id int);',
        `drop table item_log;\n${HELD_SLEEP[dialectOf(engine)]}`,
      ),
    });
    await using target = await createTargetDatabase(engine);
    const common = ['--target-url', target.url, '--migrations', folder.path, '--backup', 'none'];
    await using applying = spawnCli(['apply', ...common, '--require-reversible', 'false', '--allow-drift']);
    expect((await applying.exited).code).toBe(0);
    await sql`create table hold_rollback (id int)`.execute(target.db);
    const rollback = [
      'rollback',
      ...common,
      '--steps',
      '1',
      '--allow-drift',
      '--throwaway',
      'server',
      '--server-url',
      serverUrlOf(engine)!,
    ];

    await using cli = spawnCli(rollback);
    await waitUntilRunning(engine, target.db, sleepOf(engine).fragment, () => cli.child.exitCode === null);
    cli.child.kill('SIGTERM');
    const exit = await cli.exited;

    expect(exit.code).toBe(143);
    expect(exit.stderr).toContain('cancelling the statement running on the target');
    expect(await lockIsHeld(engine, target.db), exit.stderr).toBe(false);
    expect(await appliedNames(target.db)).toEqual(['0001_create_items', '0002_log_items']);
    await sql`drop table hold_rollback`.execute(target.db);
    await using next = spawnCli(rollback);
    const after = await next.exited;
    const output = after.stdout + after.stderr;
    if (dialectOf(engine) === 'postgres') {
      // The down was one transaction, rolled back whole: the next rollback runs it again.
      expect(after.code, output).toBe(0);
      expect(await appliedNames(target.db)).toEqual(['0001_create_items']);
    } else {
      // Its DROP TABLE committed alone: the down stopped half-way, and is named.
      expect(after.code).toBe(1);
      expect(output).toContain('REFUSED (half-applied): the down of 0002_log_items stopped half-way');
      expect(output).toContain('ran 1: drop table item_log');
      expect(output).toContain(
        `delete from kysely_migration where name = '0002_log_items'; delete from ${PROGRESS_TABLE} where name = '0002_log_items'`,
      );
      expect(await progressNames(target.db)).toEqual(['0002_log_items']);
      expect(await appliedNames(target.db)).toEqual(['0001_create_items', '0002_log_items']);
    }
    expect(await lockIsHeld(engine, target.db)).toBe(false);
  });

  /**
   * What a down does when its statement is cancelled (only on the target: in the rehearsal it
   * sleeps 0 s): tries the statement again, or keeps running without sending anything (the
   * run then never stops by itself).
   */
  const STUBBORN = [
    {
      title:
        'a down that swallows the cancellation and tries again: nothing more is sent, the run stops at once, the lock released',
      onCancel: (held: string) => `sql.raw(${JSON.stringify(held)}).execute(db)`,
      ended: false,
    },
    {
      title:
        'a down that swallows the cancellation and keeps running: its session is ended on the target after a grace, so the lock never outlives the run',
      onCancel: () => 'new Promise((resolve) => setTimeout(resolve, 120_000))',
      ended: true,
    },
  ];
  for (const { title, onCancel, ended } of STUBBORN) {
    test(title, async () => {
      const held = HELD_SLEEP[dialectOf(engine)];
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_items.sql': sqlMigration('create table items (id int);', 'drop table items;'),
        '0002_stubborn_down.ts': [
          "import { sql, type Kysely } from 'kysely';",
          // Out of a transaction on Postgres, so that a statement after the cancelled one could run.
          dialectOf(engine) === 'postgres' ? 'export const transaction = false;' : '',
          'export async function up() {}',
          'export async function down(db: Kysely<any>) {',
          `  await sql.raw(${JSON.stringify(held)}).execute(db).catch(() => ${onCancel(held)});`,
          '}',
          '',
        ].join('\n'),
      });
      await using target = await createTargetDatabase(engine);
      const common = [
        ...['--target-url', target.url, '--migrations', folder.path, '--backup', 'none'],
        ...['--throwaway', 'server', '--server-url', serverUrlOf(engine)!],
      ];
      await using applying = spawnCli(['apply', ...common, '--require-reversible', 'false', '--allow-drift']);
      const applied = await applying.exited;
      expect(applied.code, applied.stderr).toBe(0);
      await sql`create table hold_rollback (id int)`.execute(target.db);

      await using cli = spawnCli(['rollback', ...common, '--steps', '1', '--allow-drift']);
      await waitUntilRunning(engine, target.db, sleepOf(engine).fragment, () => cli.child.exitCode === null);
      cli.child.kill('SIGTERM');
      const exit = await cli.exited;

      expect(exit.code).toBe(143);
      if (ended) expect(exit.stderr).toContain('the run did not stop within 5 s: ending its session');
      else expect(exit.stderr).not.toContain('did not stop');
      expect(await lockIsHeld(engine, target.db), exit.stderr).toBe(false);
      expect(await appliedNames(target.db)).toEqual(['0001_create_items', '0002_stubborn_down']);
    });
  }
});
