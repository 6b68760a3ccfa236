import { describe, expect, test } from 'vitest';
import { halfAppliedRefusal } from '../../src/core/parts/target/half-applied.ts';
import type { ProgressRow } from '../../src/core/parts/target/progress-table.ts';

const ROW: ProgressRow = {
  name: '0002_unique_codes',
  direction: 'up',
  planned: ['create table a (id int)', 'create table b (id int)', 'create table c (id int)'],
  ran: ['create table a (id int)'],
  failed: { sql: 'create table b (id int)', error: "Table 'b' already exists" },
  startedAt: '2026-12-07T05:00:00.000Z',
  runBy: 'ci-run-7',
  backup: '/backups/app.dump',
};

describe('a migration stopped half-way, refused by the next run', () => {
  test('names it, who ran it and when, each statement that ran, was refused and did not run, and the ways forward', () => {
    const refusal = halfAppliedRefusal([ROW], ['0001_create_items'], 'kysely_migration', 'nothing applied');
    expect(refusal).toEqual({
      reason: 'half-applied',
      message:
        '0002_unique_codes stopped half-way (run by ci-run-7, started 2026-12-07T05:00:00.000Z): 1 statement(s) ran and stay, 2 did not run; decide how to go on first: nothing applied',
      details: [
        'ran 1: create table a (id int)',
        "refused: create table b (id int) (Table 'b' already exists)",
        'not run 2: create table b (id int)',
        'not run 3: create table c (id int)',
        "finish it by hand: run the statements that did not run, then mark it done: insert into kysely_migration (name, timestamp) values ('0002_unique_codes', '<now, ISO>'); delete from migration_gate_progress where name = '0002_unique_codes'",
        "or undo by hand the statements that ran, then forget the attempt (delete from migration_gate_progress where name = '0002_unique_codes'), fix 0002_unique_codes and run again",
        'or restore the backup taken before the run: migration-gate restore --from /backups/app.dump',
      ],
    });
  });

  test('a run killed mid-migration, not rehearsed: what ran is listed, the rest said unknown', () => {
    const { failed: _failed, ...killed } = ROW;
    const refusal = halfAppliedRefusal(
      [{ ...killed, planned: [] }],
      [],
      'kysely_migration',
      'nothing applied',
    );
    expect(refusal?.message).toContain('1 statement(s) ran and stay, the rest did not run');
    expect(refusal?.details.filter((line) => /^(refused|not run|stopped by)/.test(line))).toEqual([]);
  });

  test('a migration whose own code threw after a statement ran says what stopped it', () => {
    const thrown = { ...ROW, failed: { sql: '', error: 'boom' } };
    const refusal = halfAppliedRefusal([thrown], [], 'kysely_migration', 'nothing applied');
    expect(refusal?.details).toContain('stopped by: boom');
  });

  test('is no longer refused once marked done by hand: the up applied, the down no longer applied', () => {
    expect(halfAppliedRefusal([ROW], ['0002_unique_codes'], 'kysely_migration', 'x')).toBeUndefined();
    const down = { ...ROW, direction: 'down' as const };
    expect(halfAppliedRefusal([down], [], 'kysely_migration', 'x')).toBeUndefined();
    expect(halfAppliedRefusal([down], ['0002_unique_codes'], 'kysely_migration', 'x')?.message).toMatch(
      /^the down of 0002_unique_codes stopped half-way/,
    );
  });
});
