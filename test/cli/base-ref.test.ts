import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runCliCaptured } from './run-cli.ts';

interface JsonResult {
  ok: boolean;
  migrations: { name: string; status: string }[];
  replayed: { name: string; status: string }[];
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=migration-gate test',
      '-c',
      'user.email=test@example.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

async function writeMigration(project: string, name: string, table: string): Promise<void> {
  await mkdir(join(project, 'migrations'), { recursive: true });
  await writeFile(
    join(project, 'migrations', `${name}.sql`),
    `-- migrate:up\ncreate table ${table} (id int primary key);\n\n-- migrate:down\ndrop table ${table};\n`,
  );
}

async function checkSince(base: string, cwd: string) {
  return runCliCaptured(['check', '--base', base, '--throwaway', 'embedded', '--json'], { cwd });
}

// Keep git from finding a repository above the temporary folders, wherever they live.
const ceiling = process.env['GIT_CEILING_DIRECTORIES'];
process.env['GIT_CEILING_DIRECTORIES'] = [tmpdir(), realpathSync(tmpdir())].join(delimiter);
afterAll(() => {
  if (ceiling === undefined) delete process.env['GIT_CEILING_DIRECTORIES'];
  else process.env['GIT_CEILING_DIRECTORIES'] = ceiling;
});

describe('migration-gate check --base <ref>', () => {
  let project: string;
  let base: string;

  beforeEach(async () => {
    project = await mkdtemp(join(tmpdir(), 'migration-gate-base-'));
    git(project, 'init', '--quiet');
    await writeMigration(project, '001_create_authors', 'authors');
    await writeMigration(project, '002_create_books', 'books');
    git(project, 'add', '.');
    git(project, 'commit', '--quiet', '-m', 'two merged migrations');
    base = git(project, 'rev-parse', 'HEAD');
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  test('proves only the migration committed since the ref and replays the merged ones', async () => {
    await writeMigration(project, '003_create_reviews', 'reviews');
    git(project, 'add', '.');
    git(project, 'commit', '--quiet', '-m', 'a new migration');

    const run = await checkSince(base, project);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(result.migrations.map(({ name, status }) => [name, status])).toEqual([
      ['003_create_reviews', 'reversible'],
    ]);
    expect(result.replayed.map(({ name, status }) => [name, status])).toEqual([
      ['001_create_authors', 'applied'],
      ['002_create_books', 'applied'],
    ]);
    expect(run.stderr).toContain(`3 migration(s) in ${join(project, 'migrations')}, 1 new since ${base}`);
  });

  test('a migration not committed yet counts as new', async () => {
    await writeMigration(project, '003_create_reviews', 'reviews');

    const run = await checkSince('HEAD', project);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as JsonResult;
    expect(result.migrations.map((migration) => migration.name)).toEqual(['003_create_reviews']);
    expect(result.replayed.map((replay) => replay.status)).toEqual(['applied', 'applied']);
  });

  test('a working directory reached through a symbolic link still compares the right paths', async () => {
    await writeMigration(project, '003_create_reviews', 'reviews');
    const links = await mkdtemp(join(tmpdir(), 'migration-gate-link-'));
    try {
      await symlink(project, join(links, 'project'));
      const run = await checkSince('HEAD', join(links, 'project'));
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout) as JsonResult;
      expect(result.migrations.map((migration) => migration.name)).toEqual(['003_create_reviews']);
      expect(result.replayed).toHaveLength(2);
    } finally {
      await rm(links, { recursive: true, force: true });
    }
  });

  test('an unknown ref is a usage error that says how to fetch it', async () => {
    const run = await checkSince('no-such-branch', project);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error: --base no-such-branch is not a commit in this repository \(fetch it/);
  });

  test('outside a git repository is a usage error', async () => {
    await rm(join(project, '.git'), { recursive: true, force: true });
    const run = await checkSince('HEAD', project);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: --base needs a git repository: ${project} is not in one`);
  });
});
