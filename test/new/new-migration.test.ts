import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeNewMigration } from '../../src/core/flows/new/new-migration.ts';
import { UsageError } from '../../src/core/model/errors.ts';
import { newMigrationName } from '../../src/core/parts/migrations/new-migration-name.ts';
import { runCliCaptured } from '../cli/run-cli.ts';

const now = new Date('2025-06-07T08:09:10.123Z');

describe('the name of a new migration follows the folder', () => {
  test.each([
    [['2024_01_10_0900_create_users'], '2025_06_07_0809_add_tags'],
    [['0006_create_users', '0007_add_email'], '0008_add_tags'],
    [['20240110T0900_create_users'], '20250607T0809_add_tags'],
    [['20230309T045948368Z-init'], '20250607T080910123Z-add_tags'],
    [['20240110090000_create_users'], '20250607080910_add_tags'],
    [['1704877200000_create_users'], '1749283750123_add_tags'],
    [[], '1749283750123_add_tags'],
  ])('after %j: %s', (existing, expected) => {
    expect(newMigrationName('add_tags', existing, now)).toBe(expected);
  });

  test("kysely-ctl's epoch milliseconds from the future: the one just after the newest", () => {
    expect(newMigrationName('add_tags', ['4000000000000_future'], now)).toBe('4000000000001_add_tags');
  });

  test('a name the folder has, with or without its prefix, is refused, naming both', () => {
    expect(() => newMigrationName('create_users', ['0006_create_users'], now)).toThrow(
      new UsageError('a migration named create_users exists already: 0006_create_users'),
    );
  });

  test('a name that is not plain is refused', () => {
    expect(() => newMigrationName('../escape', [], now)).toThrow(UsageError);
    expect(() => newMigrationName('2fa', [], now)).toThrow(/start with a letter/);
  });
});

describe('migration-gate new', () => {
  let project: string;
  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'migration-gate-new-'));
  });
  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  test('writes a TypeScript migration with an up and a down into kysely-ctl’s folder, which check proves', async () => {
    await writeFile(
      join(project, 'kysely.config.ts'),
      "export default defineConfig({ migrations: { migrationFolder: 'db/migrations' } });\n",
    );
    await mkdir(join(project, 'db/migrations'), { recursive: true });
    await writeFile(
      join(project, 'db/migrations/0001_create_users.ts'),
      "import type { Kysely } from 'kysely';\n" +
        "export async function up(db: Kysely<any>) { await db.schema.createTable('users').addColumn('id', 'integer').execute(); }\n" +
        "export async function down(db: Kysely<any>) { await db.schema.dropTable('users').execute(); }\n",
    );

    const run = await runCliCaptured(['new', 'add_tags'], { cwd: project });

    expect(run).toMatchObject({ code: 0, stdout: 'created db/migrations/0002_add_tags.ts' });
    const text = await readFile(join(project, 'db/migrations/0002_add_tags.ts'), 'utf8');
    expect(text).toMatch(/export async function up\(db: Kysely<any>\)/);
    expect(text).toMatch(/export async function down\(db: Kysely<any>\)/);
    const check = await runCliCaptured(['check', '--throwaway', 'embedded'], { cwd: project });
    expect(check.stdout).toContain('ok   0002_add_tags  reversible');
    expect(check.code).toBe(0);
  });

  test('--sql writes up and down files in the layout of the folder’s SQL migrations', async () => {
    const layouts: [string, Record<string, string>, string[]][] = [
      ['pair', { '0001_a.up.sql': '', '0001_a.down.sql': '' }, ['0002_b.down.sql', '0002_b.up.sql']],
      ['dbmate', { '0001_a.sql': '-- migrate:up\n-- migrate:down\n' }, ['0002_b.sql']],
      ['folder', { '0001_a/up.sql': '', '0001_a/down.sql': '' }, ['0002_b']],
      ['empty', {}, []],
    ];
    for (const [layout, files, expected] of layouts) {
      const folder = join(project, layout);
      for (const [name, text] of Object.entries(files)) {
        await mkdir(join(folder, name, '..'), { recursive: true });
        await writeFile(join(folder, name), text);
      }
      const result = await writeNewMigration({ name: 'b', cwd: project, migrations: layout, sql: true, now });
      const written = (await readdir(folder)).filter(
        (name) => !Object.keys(files).some((f) => f.startsWith(name)),
      );
      if (layout === 'empty') {
        expect(result.name).toBe('1749283750123_b');
        expect(written.sort()).toEqual(['1749283750123_b.down.sql', '1749283750123_b.up.sql']);
      } else {
        expect(written.sort(), layout).toEqual(expected);
      }
    }
    expect((await readdir(join(project, 'folder/0002_b'))).sort()).toEqual(['down.sql', 'up.sql']);
    expect(await readFile(join(project, 'dbmate/0002_b.sql'), 'utf8')).toBe(
      '-- migrate:up\n\n-- migrate:down\n',
    );
  });

  test('a name the folder has already is a usage error, exit 2, and nothing is written', async () => {
    await mkdir(join(project, 'migrations'));
    await writeFile(join(project, 'migrations/0001_add_tags.sql'), '');

    const run = await runCliCaptured(['new', 'add_tags'], { cwd: project });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('a migration named add_tags exists already: 0001_add_tags');
    expect(await readdir(join(project, 'migrations'))).toEqual(['0001_add_tags.sql']);
  });

  test('without a name, a usage error says how to call it', async () => {
    const run = await runCliCaptured(['new', '--sql'], { cwd: project });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('migration-gate new <name>');
  });

  test('new --help lists its options', async () => {
    const run = await runCliCaptured(['new', '--help'], { cwd: project });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: migration-gate new <name> \[options\]/);
    expect(run.stdout).toMatch(/^ {2}--sql +write up and down SQL files/m);
  });
});
