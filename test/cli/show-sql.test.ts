import { expect, test } from 'vitest';
import { runCliCaptured } from './run-cli.ts';

const CHECK = ['check', '--migrations', 'test/fixtures/cli/failing', '--throwaway', 'embedded'];

test("--show-sql prints each migration's SQL under its line, up then down, as run on the throwaway", async () => {
  const run = await runCliCaptured([...CHECK, '--show-sql']);
  expect(run.code).toBe(1);
  const migrations = run.stdout.split('\n\n')[0]!.split('\n');
  // The SQL is what this shows; risks other than the blocking index have tests of their own.
  const shown = migrations.filter(
    (line) => !/^ {11}(?:why|instead|rule): |^ {7}risk \((?:notice|warning)\)/.test(line),
  );
  expect(shown).toEqual([
    'ok   001_create_accounts  reversible',
    '       up:',
    '         create table accounts (id int primary key, email varchar(255) not null)',
    '       down:',
    '         drop table accounts',
    'FAIL 002_index_accounts_email  not reversible: down of 002_index_accounts_email does not undo its up',
    '       - left index accounts_email_idx on accounts',
    '       risk (error) create-index-blocking: builds index accounts_email_idx on existing table accounts without CONCURRENTLY (statement 1)',
    '       up:',
    '         create index accounts_email_idx on accounts (email)',
    "FAIL 003_create_audit  missing down: 003_create_audit has no down; write one, or declare it irreversible with a reason (export const irreversible = '<reason>')",
    '       up:',
    '         create table "audit" ("id" integer primary key)',
  ]);
});

test('without --show-sql, no SQL', async () => {
  const run = await runCliCaptured(CHECK);
  expect(run.stdout).not.toContain('create table accounts');
});
