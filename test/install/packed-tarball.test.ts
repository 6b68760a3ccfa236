import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { REPO_ROOT } from '../cli/run-cli.ts';

const run = promisify(execFile);

/**
 * The project's own kysely: another version than the engine's (0.28), so npm installs two
 * copies, as in a project that upgraded kysely before migration-gate did.
 */
const PROJECT_KYSELY = 'kysely@0.29.9';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'migration-gate-install-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A user's project: its own package.json and migrations, nothing of this repository's. */
async function writeProject(root: string): Promise<void> {
  await mkdir(join(root, 'migrations'), { recursive: true });
  await writeFile(
    join(root, 'package.json'),
    JSON.stringify({ name: 'shop', private: true, type: 'module' }),
  );
  await writeFile(
    join(root, 'migrations/0001_create_users.ts'),
    `import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .execute();
  await sql\`create index users_email on users (email)\`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
`,
  );
  // instanceof against the project's kysely (0.29), while the engine runs 0.28: true only when
  // the migration is given the engine's copy; else MySQL's auto_increment fails on Postgres.
  await writeFile(
    join(root, 'migrations/0002_create_orders.ts'),
    `import { PostgresAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('orders')
    .addColumn('id', postgres ? 'serial' : 'integer', (col) =>
      postgres ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('orders').execute();
}
`,
  );
}

/**
 * Installs the tarball and the project's kysely: from npm's cache alone first, then letting npm
 * fetch what the cache lacks. Undefined when installed, else npm's last words.
 */
async function install(project: string, tarball: string): Promise<string | undefined> {
  let reason = '';
  for (const mode of ['--offline', '--prefer-offline']) {
    try {
      await run('npm', ['install', mode, '--no-audit', '--no-fund', tarball, PROJECT_KYSELY], {
        cwd: project,
        maxBuffer: 16 * 1024 * 1024,
      });
      return undefined;
    } catch (error) {
      reason = String((error as { stderr?: string }).stderr ?? error)
        .trim()
        .split('\n')
        .slice(-3)
        .join(' ');
    }
  }
  return reason;
}

test('npm pack, installed into a project with its own migrations and kysely: npx migration-gate check passes there', async (context) => {
  // `npm pack` runs the prepare script: lib/ is built from the sources as a user's install gets it.
  await run('npm', ['pack', '--pack-destination', scratch], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  const [tarball] = (await readdir(scratch)).filter((name) => name.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  const project = join(scratch, 'shop');
  await writeProject(project);

  const failure = await install(project, join(scratch, tarball!));
  if (failure !== undefined) {
    if (process.env['CI'] === 'true') throw new Error(`npm cannot install the tarball: ${failure}`);
    context.skip(`npm cannot install the tarball here: ${failure}`);
  }

  const check = await run('npx', ['--no', 'migration-gate', 'check', '--throwaway', 'embedded'], {
    cwd: project,
    maxBuffer: 16 * 1024 * 1024,
  });
  expect(check.stdout).toContain('ok   0001_create_users  reversible');
  expect(check.stdout).toContain('ok   0002_create_orders  reversible');
  expect(check.stdout).toMatch(/^PASSED: 2 migration\(s\) proven/m);
}, 300_000);
