import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/model/errors.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import { RISK_RULES, findRisks } from '../../src/core/parts/plan/risks/catalog.ts';
import { RISK_RULE_IDS } from '../../src/core/model/risk-rule-ids.ts';
import { buildSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import { diffSnapshots } from '../../src/core/parts/schema/diff.ts';
import { migrationFolder } from './plan-fixture.ts';

async function loadError(files: Record<string, string>): Promise<{ error: UsageError; folder: string }> {
  await using folder = await migrationFolder(files);
  const error = await loadMigrations({ path: folder.path, dialect: 'postgres' }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof UsageError)) throw new Error(`expected a UsageError, got ${String(error)}`);
  return { error, folder: folder.path };
}

describe('acknowledged risks', () => {
  it('reads the acknowledgements of a SQL migration, one comment line per rule', async () => {
    await using folder = await migrationFolder({
      '001_cleanup.sql': [
        '-- migration-gate:acknowledge drop-column column unused since v2.3, checked in logs',
        '-- migration-gate:acknowledge drop-table legacy_sessions was emptied in March',
        '-- migrate:up',
        'alter table users drop column fax;',
      ].join('\n'),
    });
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'postgres' });

    expect([...migration!.acknowledged]).toEqual([
      ['drop-column', 'column unused since v2.3, checked in logs'],
      ['drop-table', 'legacy_sessions was emptied in March'],
    ]);
  });

  it('reads the acknowledge export of a module', async () => {
    await using folder = await migrationFolder({
      '001_cleanup.ts': [
        "export const acknowledge = { 'drop-column': 'column unused since v2.3' };",
        'export async function up(): Promise<void> {}',
      ].join('\n'),
    });
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'postgres' });

    expect([...migration!.acknowledged]).toEqual([['drop-column', 'column unused since v2.3']]);
  });

  it('acknowledges nothing by default', async () => {
    await using folder = await migrationFolder({ '001_noop.sql': '-- migrate:up\nselect 1;\n' });
    const [migration] = await loadMigrations({ path: folder.path, dialect: 'postgres' });

    expect(migration!.acknowledged.size).toBe(0);
  });

  it('refuses a SQL acknowledgement of an unknown rule, naming the file and line', async () => {
    const { error, folder } = await loadError({
      '001_cleanup.sql':
        '-- migrate:up\n-- migration-gate:acknowledge drop-colum typo in the id\nselect 1;\n',
    });

    expect(error.file).toBe(join(folder, '001_cleanup.sql'));
    expect(error.line).toBe(2);
    expect(error.message).toMatch(
      /001_cleanup\.sql:2: acknowledges unknown risk rule drop-colum; the rules are drop-table, /,
    );
  });

  it('refuses a module acknowledgement of an unknown rule, naming the file', async () => {
    const { error, folder } = await loadError({
      '001_cleanup.ts':
        "export const acknowledge = { 'drop-colum': 'typo' };\nexport async function up(): Promise<void> {}\n",
    });

    expect(error.file).toBe(join(folder, '001_cleanup.ts'));
    expect(error.message).toMatch(/001_cleanup\.ts: acknowledges unknown risk rule drop-colum;/);
  });

  it('refuses an acknowledgement without a reason', async () => {
    const { error } = await loadError({
      '001_cleanup.sql': '-- migration-gate:acknowledge drop-table\n-- migrate:up\nselect 1;\n',
    });

    expect(error.message).toMatch(/:1: acknowledges drop-table without a reason/);
  });
});

describe('the risk rule catalog', () => {
  it('has one rule per stable id, in the order of the id list', () => {
    expect(RISK_RULES.map((rule) => rule.id)).toEqual([...RISK_RULE_IDS]);
  });

  it('puts an acknowledgement on the risks of the rule it names, and only there', () => {
    const users = { kind: 'table' as const, name: 'users', attributes: {} };
    const sessions = { kind: 'table' as const, name: 'sessions', attributes: {} };
    const before = buildSnapshot('postgres', [users, sessions]);
    const after = buildSnapshot('postgres', []);
    const risks = findRisks(
      {
        dialect: 'postgres',
        statements: [],
        before,
        after,
        diff: diffSnapshots(before, after),
        transactional: true,
        facts: {},
      },
      new Map([['drop-table', 'both tables were archived']]),
    );

    expect(risks.map((risk) => [risk.what, risk.acknowledged])).toEqual([
      ['drops table sessions', 'both tables were archived'],
      ['drops table users', 'both tables were archived'],
    ]);
  });
});
