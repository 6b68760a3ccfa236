import { describe, expect, it } from 'vitest';
import { resultOf } from '../check/check-fixture.ts';
import { describeEachEngine, dialectOf } from '../support/engines.ts';
import { checkFolder, migrationFolder, ONE_RULE_AT_A_TIME } from './plan-fixture.ts';

const WIDGETS_MODULE = `
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('widgets').addColumn('id', 'integer', (col) => col.primaryKey()).addColumn('name', 'varchar(50)').execute();
  await db.insertInto('widgets').values({ id: 1, name: 'a secret value' }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('widgets').execute();
}
`;

const LINES_UP = `-- Two statements, with comments and blank lines between them.

create table gauges (
  id int primary key
);

/* a block comment */
alter table gauges add column reading int;
`;

const LINES_DOWN = `
drop table gauges;
`;

describeEachEngine('SQL capture', (engine) => {
  const postgres = dialectOf(engine) === 'postgres';
  const quote = (name: string) => (postgres ? `"${name}"` : `\`${name}\``);

  it('records each statement of a TypeScript migration, with its duration and placeholders instead of values', async () => {
    await using folder = await migrationFolder({ '001_widgets.ts': WIDGETS_MODULE });
    const check = await checkFolder(engine, folder.path);

    const { statements } = resultOf(check, '001_widgets');
    expect(statements?.up.map((statement) => statement.sql)).toEqual([
      `create table ${quote('widgets')} (${quote('id')} integer primary key, ${quote('name')} varchar(50))`,
      `insert into ${quote('widgets')} (${quote('id')}, ${quote('name')}) values ${postgres ? '($1, $2)' : '(?, ?)'}`,
    ]);
    expect(statements?.down.map((statement) => statement.sql)).toEqual([`drop table ${quote('widgets')}`]);
    for (const statement of [...statements!.up, ...statements!.down]) {
      expect(statement.durationMs).toBeGreaterThanOrEqual(0);
      expect(statement.line).toBeUndefined();
    }
    expect(JSON.stringify(check)).not.toContain('a secret value');
  });

  it('puts each statement of a SQL migration on its line in the up and the down file', async () => {
    await using folder = await migrationFolder({
      '001_gauges.up.sql': LINES_UP,
      '001_gauges.down.sql': LINES_DOWN,
    });
    const check = await checkFolder(engine, folder.path);

    expect(resultOf(check, '001_gauges').statements).toMatchObject({
      up: [
        { sql: 'create table gauges (\n  id int primary key\n)', line: 3 },
        { sql: 'alter table gauges add column reading int', line: 8 },
      ],
      down: [{ sql: 'drop table gauges', line: 2 }],
    });
  });

  it('records the statement an up failed on, marked as failed, so the report can show where it stopped', async () => {
    await using folder = await migrationFolder({
      '001_broken.sql':
        '-- migrate:up\ncreate table dials (id int primary key);\ninsert into no_such_table values (1);\n',
    });
    const check = await checkFolder(engine, folder.path);

    const result = resultOf(check, '001_broken');
    expect(result.status).toBe('error');
    expect(result.statements?.up).toMatchObject([
      { sql: 'create table dials (id int primary key)', line: 2 },
      { sql: 'insert into no_such_table values (1)', line: 3, failed: true },
    ]);
    expect(result.statements!.up[0]!.failed).toBeUndefined();
    expect(result.risks).toBeUndefined();
  });

  it('names, on MySQL/MariaDB, the statements a failed up left applied and those it never ran', async () => {
    await using folder = await migrationFolder({
      '001_half.sql': [
        '-- migrate:up',
        'create table dials (id int primary key);',
        'alter table dials add column reading int;',
        'alter table no_such_table add column c int;',
        'create table knobs (id int primary key);',
        '',
      ].join('\n'),
    });
    const check = await checkFolder(engine, folder.path);

    const result = resultOf(check, '001_half');
    expect(result.status).toBe('error');
    if (postgres) {
      // The up ran in one transaction: nothing of it stayed, nothing to name.
      expect(result.notes).toBeUndefined();
      return;
    }
    expect(result.notes).toEqual([
      'the up failed at statement 3 (line 4), after 2 that stayed applied: on MySQL/MariaDB each statement commits as it runs (no transaction holds a migration), so a database this migration fails on is left half-migrated; the failing statement itself left nothing (a single DDL statement is atomic since MySQL 8.0 and MariaDB 10.6, a migration of several is not)',
      'stayed applied: 1 (line 2) create table dials (id int primary key); 2 (line 3) alter table dials add column reading int',
      'never ran: 4 (line 5) create table knobs (id int primary key)',
    ]);
  });

  describe('in sequence mode', () => {
    it('records the first up and the first down of each migration too', async () => {
      await using folder = await migrationFolder({
        '001_gauges.up.sql': LINES_UP,
        '001_gauges.down.sql': LINES_DOWN,
      });
      // The int key would draw prefer-bigint-keys' notice: this test is about capture, so the
      // rules of issue 16 are off, as in the risk fixtures.
      const check = await checkFolder(engine, folder.path, 'sequence', ONE_RULE_AT_A_TIME);

      expect(resultOf(check, '001_gauges')).toMatchObject({
        status: 'reversible',
        statements: { up: [{ line: 3 }, { line: 8 }], down: [{ line: 2 }] },
        risks: [],
      });
    });
  });
});
