import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTAINER_IMAGES, containerExists, containerIdIn, describeWithDocker } from '../support/docker.ts';
import { ACTION, NODE, REPO_ROOT, runAction } from './run-action.ts';

/**
 * The committed dist/, copied where no node_modules folder is above it, as the runner checks
 * out an action: whatever the bundle needs at run time must be inside dist/.
 */
let copy: string;
let bundle: string;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'migration-gate-dist-'));
  await cp(join(REPO_ROOT, 'dist'), join(copy, 'action', 'dist'), { recursive: true });
  bundle = join(copy, 'action', ACTION.runs.main);
});

afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

/** A project with migrations, not a git repository: runs as on a push. */
async function project(files: Readonly<Record<string, string>>): Promise<string> {
  const folder = await mkdtemp(join(copy, 'project-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(folder, path, '..'), { recursive: true });
    await writeFile(join(folder, path), text);
  }
  return folder;
}

describe('the built bundle (dist/), on its own', () => {
  test('action.yml runs it on node24', () => {
    expect(ACTION.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  test("exports run() as GitHub's typescript-action template does, for GitHub's local runner", async () => {
    // Importing it runs the action once too (here: no inputs, an error), as the runner would.
    const { stdout } = await promisify(execFile)(
      NODE,
      [
        '--input-type=module',
        '-e',
        'console.log(`run: ${typeof (await import(process.argv[1])).run}`)',
        bundle,
      ],
      { cwd: await project({}), env: { PATH: process.env['PATH'] } },
    ).catch((error: { stdout: string }) => error);
    expect(stdout).toMatch(/^run: function$/m);
  });

  test('with no inputs at all, it loads and says which input is missing', async () => {
    const workspace = await project({});
    const run = await runAction({ bundle, workspace, with: {}, defaults: false });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(
      '::error title=migration-gate::input command is required: one of check, apply, rollback, status, comment\n',
    );
    expect(run.stderr).toBe('');
  });

  test('embedded Postgres runs from it: PGlite with an extension, and TypeScript migrations importing kysely', async () => {
    const workspace = await project({
      // The lock timeout apply runs with, so the risk rules know one is in force.
      'migration-gate.config.json': '{ "lockTimeout": "5s" }\n',
      'migrations/0001_create_members.sql':
        '-- migrate:up\ncreate extension if not exists citext;\ncreate table members (email citext primary key);\n\n' +
        '-- migrate:down\ndrop table members;\ndrop extension citext;\n',
      'migrations/0002_add_nickname.ts': `import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql\`alter table members add column nickname text\`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').dropColumn('nickname').execute();
}
`,
    });
    const run = await runAction({
      bundle,
      workspace,
      with: { command: 'check', throwaway: 'embedded' },
      env: { GITHUB_EVENT_NAME: 'push' },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['verdict']).toMatch(/^✅ 2 migrations are reversible/);
    expect(run.stdout).toMatch(/throwaway database: embedded PGlite \(PostgreSQL [\d.]+\)/);
  });

  test("the container throwaway loads testcontainers without ssh2's native addons and says Docker is missing", async () => {
    const workspace = await project({
      'migrations/0001_create_notes.sql':
        '-- migrate:up\ncreate table notes (id int);\n-- migrate:down\ndrop table notes;\n',
    });
    const run = await runAction({
      bundle,
      workspace,
      with: { command: 'check', throwaway: 'container', image: 'postgres:16-alpine' },
      env: { GITHUB_EVENT_NAME: 'push', DOCKER_HOST: 'unix:///nonexistent/migration-gate-test/docker.sock' },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      '::error title=migration-gate::could not start container postgres:16-alpine: no Docker engine answers',
    );
  });
});

describeWithDocker('the built bundle with a container throwaway', () => {
  test('starts the image, proves the migrations in it and removes it', { timeout: 180_000 }, async () => {
    const workspace = await project({
      'migrations/0001_create_notes.sql':
        '-- migrate:up\ncreate table notes (id int);\n-- migrate:down\ndrop table notes;\n',
    });
    // How this machine reaches Docker and which images stand in for the official ones.
    const docker = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          /^(DOCKER_|TESTCONTAINERS_|RYUK_)/.test(entry[0]) && entry[1] !== undefined,
      ),
    );
    const run = await runAction({
      bundle,
      workspace,
      with: { command: 'check', throwaway: 'container', image: CONTAINER_IMAGES.postgres },
      env: { GITHUB_EVENT_NAME: 'push', ...docker },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['verdict']).toMatch(/^✅ 1 migration is reversible/);
    expect(await containerExists(containerIdIn(run.stdout))).toBe(false);
  });
});
