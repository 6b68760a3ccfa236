import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { PROGRESS_TABLE } from '../../src/core/parts/migrations/bookkeeping-tables.ts';
import { AVAILABLE_ENGINES, dialectOf, serverUrlOf } from '../support/engines.ts';
import { createMigrationFolder, sqlMigration } from '../apply/apply-fixture.ts';
import { spawnCli } from '../cli/spawn-cli.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { appliedNames, lockIsHeld, progressNames } from './fault-target.ts';

// MySQL and MariaDB commit each DDL statement alone: a migration that fails at its third
// statement leaves the first two. The run that fails and every run after it must name it.

const UP = [
  'create table item_log (id int);',
  'create table item_tags (id int);',
  'create unique index uq_items_code on items (code);',
  'create table item_notes (id int);',
];
const DOWN = [
  'drop table item_notes;',
  'drop index uq_items_code on items;',
  'drop table item_tags;',
  'drop table item_log;',
];

describe.each(AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'mysql'))(
  'a MySQL migration stopped half-way [%s]',
  (engine) => {
    test('failing at its 3rd statement: the failure and the next apply name it, what ran, what did not, and the ways forward', async () => {
      await using folder = await createMigrationFolder();
      await folder.write({
        '0001_create_items.sql': sqlMigration(
          'create table items (id int primary key, code int);',
          'drop table items;',
        ),
      });
      await using target = await createTargetDatabase(engine);
      // Proven on the throwaway (so its statements are known), as a user runs it.
      const apply = [
        'apply',
        '--target-url',
        target.url,
        '--migrations',
        folder.path,
        '--backup',
        'none',
        '--throwaway',
        'server',
        '--server-url',
        serverUrlOf(engine)!,
      ];
      await using first = spawnCli(apply);
      expect((await first.exited).code).toBe(0);
      // Passes on the empty throwaway, fails on the target's data.
      await sql`insert into items (id, code) values (1, 7), (2, 7)`.execute(target.db);
      await folder.write({ '0002_unique_codes.sql': sqlMigration(UP.join('\n'), DOWN.join('\n')) });

      await using failing = spawnCli(apply);
      const failed = await failing.exited;
      const failure = failed.stdout + failed.stderr;
      expect(failed.code).toBe(1);
      expect(failure).toContain('FAILED 0002_unique_codes');
      expect(failure).toContain(
        '2 statement(s) of 0002_unique_codes ran and stay (no transaction undid them), 2 did not run',
      );
      expect(failure).toContain('ran 1: create table item_log (id int)');
      expect(failure).toContain('ran 2: create table item_tags (id int)');
      expect(failure).toContain('not run 3: create unique index uq_items_code on items (code)');
      expect(failure).toContain('not run 4: create table item_notes (id int)');
      expect(failure).toContain('finish it by hand');
      expect(failure).toContain('or undo by hand the statements that ran');
      expect(await progressNames(target.db)).toEqual(['0002_unique_codes']);

      await using next = spawnCli(apply);
      const refused = await next.exited;
      const refusal = refused.stdout + refused.stderr;
      expect(refused.code).toBe(1);
      expect(refusal).toContain(
        'REFUSED (half-applied): 0002_unique_codes stopped half-way (run by migration-gate, started ',
      );
      expect(refusal).toContain('2 statement(s) ran and stay, 2 did not run');
      expect(refusal).toContain('ran 1: create table item_log (id int)');
      expect(refusal).toContain('ran 2: create table item_tags (id int)');
      expect(refusal).toMatch(
        /refused: create unique index uq_items_code on items \(code\) \(Duplicate entry/,
      );
      expect(refusal).toContain('not run 3: create unique index uq_items_code on items (code)');
      expect(refusal).toContain('not run 4: create table item_notes (id int)');
      expect(refusal).toContain(
        `insert into kysely_migration (name, timestamp) values ('0002_unique_codes', '<now, ISO>'); delete from ${PROGRESS_TABLE} where name = '0002_unique_codes'`,
      );
      // Named, not taken for drift.
      expect(refusal).not.toContain('(drift)');

      // The first way forward, as a person would take it: finish by hand, then mark it done.
      await sql`delete from items where id = 2`.execute(target.db);
      await sql`create unique index uq_items_code on items (code)`.execute(target.db);
      await sql`create table item_notes (id int)`.execute(target.db);
      await sql`insert into kysely_migration (name, timestamp) values ('0002_unique_codes', ${new Date().toISOString()})`.execute(
        target.db,
      );
      await sql`delete from ${sql.table(PROGRESS_TABLE)} where name = '0002_unique_codes'`.execute(target.db);
      await using resolved = spawnCli(apply);
      const done = await resolved.exited;
      expect(done.code, done.stdout + done.stderr).toBe(0);
      expect(await appliedNames(target.db)).toEqual(['0001_create_items', '0002_unique_codes']);
      expect(await progressNames(target.db)).toEqual([]);
      expect(await lockIsHeld(engine, target.db)).toBe(false);
    });
  },
);
