import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createMigrationFolder, threeMigrations } from '../apply/apply-fixture.ts';
import {
  AVAILABLE_ENGINES,
  describeEachEngine,
  dialectOf,
  isServer,
  serverUrlOf,
} from '../support/engines.ts';
import { createTargetDatabase } from '../target/target-database.ts';
import { runCliCaptured } from './run-cli.ts';

/** Output with what changes from run to run (times, sizes, names made for the run) as words. */
function normalised(text: string, names: Readonly<Record<string, string>>): string[] {
  let result = text;
  for (const [value, word] of Object.entries(names)) result = result.split(value).join(word);
  return result
    .replaceAll(/\d+(?:\.\d+)? (?:ms|s|bytes|kB|MB)\b/g, (match) => `<${match.split(' ')[1]!}>`)
    .replaceAll(/migration_gate_\w+/g, '<scratch>')
    .replaceAll(/(pg_dump|pg_restore) \d+(?:\.\d+)*/g, '$1 <version>')
    .replaceAll(/\d{8}T\d{9}Z/g, '<time>')
    .replaceAll(/ \((?:PostgreSQL|MariaDB|\d)[^\n]*?\)(?= |\.\.\.|$)/gm, '')
    .split('\n');
}

function git(cwd: string, ...args: string[]): void {
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd, stdio: 'ignore', env: { ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() } },
  );
}

test('check --base says how many merged migrations it replays, before and after (without the cache)', async () => {
  const project = await mkdtemp(join(tmpdir(), 'migration-gate-progress-'));
  try {
    await mkdir(join(project, 'migrations'));
    const write = (name: string, table: string) =>
      writeFile(
        join(project, 'migrations', `${name}.sql`),
        `-- migrate:up\ncreate table ${table} (id int primary key);\n\n-- migrate:down\ndrop table ${table};\n`,
      );
    for (const [name, table] of [
      ['001_authors', 'authors'],
      ['002_books', 'books'],
      ['003_shelves', 'shelves'],
    ])
      await write(name!, table!);
    git(project, 'init', '--quiet');
    git(project, 'add', '.');
    git(project, 'commit', '--quiet', '-m', 'merged');
    git(project, 'branch', 'base');
    await write('004_loans', 'loans');
    const run = await runCliCaptured(
      ['check', '--base', 'base', '--throwaway', 'embedded', '--merged-cache', 'false'],
      {
        cwd: project,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(normalised(run.stderr, { [project]: '<project>' })).toMatchInlineSnapshot(`
      [
        "4 migration(s) in <project>/migrations, 1 new since base",
        "throwaway database: embedded PGlite",
        "replaying 3 merged migration(s)...",
        "replayed 3 merged migration(s) in <s>",
      ]
    `);
  } finally {
    await rm(project, { recursive: true, force: true });
  }
});

describeEachEngine(
  'apply behind a verified backup',
  (engine) => {
    test('says what it backs up, how big the backup is, that it verifies it, then each migration once', async () => {
      await using folder = await createMigrationFolder();
      await folder.write(threeMigrations(engine));
      await using target = await createTargetDatabase(engine);
      const backups = await mkdtemp(join(tmpdir(), 'migration-gate-backups-'));
      try {
        const run = await runCliCaptured([
          'apply',
          '--migrations',
          folder.path,
          '--throwaway',
          'server',
          '--server-url',
          serverUrlOf(engine)!,
          '--target-url',
          target.url,
          '--backup-dir',
          backups,
        ]);
        expect(run.code, run.stderr).toBe(0);
        const display = new URL(target.url);
        display.username = '';
        display.password = '';
        const database = display.pathname.slice(1);
        expect(
          normalised(run.stdout, { [backups]: '<backups>', [display.href]: '<target>', [database]: '<db>' }),
        ).toMatchInlineSnapshot(`
          [
            "target <target>: 0 applied, 3 pending",
            "backing up <target> with pg_dump <version>",
            "backup of <target> written: <backups>/<db>-<time>.dump (<bytes>, <ms>)",
            "verifying the backup: restoring <bytes> into scratch database <scratch> on <target>...",
            "backup verified: restored into scratch database <scratch> on <target> in <ms>",
            "applied 0001_create_accounts (<ms>)",
            "applied 0002_create_orders (<ms>)",
            "applied 0003_index_orders (<ms>)",
            "backup: <backups>/<db>-<time>.dump",
            "",
            "applied: 3 applied, 0 pending, in <ms>; <target> at 0003_index_orders",
          ]
        `);
      } finally {
        await rm(backups, { recursive: true, force: true });
      }
    });
  },
  AVAILABLE_ENGINES.filter((engine) => dialectOf(engine) === 'postgres' && isServer(engine)),
);
