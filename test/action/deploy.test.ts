import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { sql } from 'kysely';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { manifestPathOf } from '../../src/core/parts/backup/backup-files.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTAINER_IMAGES, describeWithDocker } from '../support/docker.ts';
import type { TestEngine } from '../support/engine-list.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import { startFakeActionsResults } from './fake-actions-results.ts';
import { startFakeGitHub } from './fake-github.ts';
import type { ActionRun } from './run-action.ts';
import { runAction } from './run-action.ts';
import type { TargetDatabase } from '../target/target-database.ts';
import { createTargetDatabase } from '../target/target-database.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');
const PASSWORD = 'pa:ss@word/42';
const TOKEN = 'ghs_deployTokenThatMustNeverShow42';

/** The repository as actions/checkout leaves it on main: two migrations, a third merged later. */
function migrations(engine: TestEngine): Record<string, string> {
  const dropIndex =
    dialectOf(engine) === 'postgres' ? 'drop index orders_account;' : 'drop index orders_account on orders;';
  return {
    'db/migrations/0001_create_accounts.sql':
      '-- migrate:up\ncreate table accounts (id int primary key, email varchar(100));\n\n-- migrate:down\ndrop table accounts;\n',
    'db/migrations/0002_create_orders.sql': `-- migrate:up
create table orders (id int primary key, account_id int);
create index orders_account on orders (account_id);

-- migrate:down
${dropIndex}
drop table orders;
`,
  };
}

const THIRD = {
  'db/migrations/0003_add_note.sql':
    '-- migrate:up\nalter table orders add column note varchar(200);\n\n-- migrate:down\nalter table orders drop column note;\n',
};

/** A workspace holding `files`, as the checkout of a push to main; its parent folder is the test's. */
async function workspaceWith(files: Record<string, string>): Promise<string> {
  const workspace = join(realpathSync(await mkdtemp(join(tmpdir(), 'migration-gate-deploy-'))), 'shop');
  await addFiles(workspace, files);
  return workspace;
}

async function addFiles(workspace: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), text);
  }
}

/** One step of the deploy or rollback workflow (.github/examples), on `event`. */
function step(
  engine: TestEngine,
  workspace: string,
  event: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction({
    workspace,
    with: {
      migrations: 'db/migrations',
      throwaway: 'server',
      'server-url': serverUrlOf(engine)!,
      ...(inputs['command'] === 'status' ? {} : { 'backup-dir': join(workspace, '..', `${event}-backups`) }),
      ...inputs,
    },
    env: {
      GITHUB_EVENT_NAME: event,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_RUN_ID: '4711',
      GITHUB_ACTOR: 'octocat',
      ...env,
    },
  });
}

/** No secret in anything the step leaves but the `::add-mask::` commands the runner consumes. */
function expectNoSecret(run: ActionRun, secrets: readonly string[]): void {
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of secrets) {
    for (const [where, text] of Object.entries({
      log,
      stderr: run.stderr,
      outputs: JSON.stringify(run.outputs),
      summary: run.summary,
    })) {
      expect(text.includes(secret), `${where} holds the secret ${secret}`).toBe(false);
    }
  }
}

/** The names Kysely's migration table lists, in order; [] when it does not exist. */
async function applied(target: TargetDatabase): Promise<string[]> {
  try {
    const rows = await target.db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
    return rows.map((row) => row.name as string);
  } catch {
    return [];
  }
}

function json(value: string | undefined): unknown {
  return JSON.parse(value ?? 'null');
}

describeEachEngine(
  'the action on push and workflow_dispatch (node dist/index.js, as the runner starts it)',
  (engine) => {
    let target: TargetDatabase;
    let workspace: string;
    let secrets: string[];
    /** The backup the rollback took: three migrations applied. */
    let rollbackBackup: string;

    beforeAll(async () => {
      // Trust auth on the local Postgres ignores a password: the URL can carry one to hide.
      target = await createTargetDatabase(engine, dialectOf(engine) === 'postgres' ? PASSWORD : undefined);
      workspace = await workspaceWith(migrations(engine));
      secrets =
        dialectOf(engine) === 'postgres'
          ? [target.url, PASSWORD, encodeURIComponent(PASSWORD)]
          : [target.url];
    });
    afterAll(async () => {
      await target?.[Symbol.asyncDispose]();
      if (workspace !== undefined) await rm(dirname(workspace), { recursive: true, force: true });
    });

    test('pull_request: apply refuses before touching the target', async () => {
      const run = await step(engine, workspace, 'pull_request_target', {
        command: 'apply',
        'target-url': target.url,
      });
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(
        /::error.*command apply changes a database and refuses to run on pull_request_target/,
      );
      expect(await applied(target)).toEqual([]);
      expectNoSecret(run, secrets);
    });

    test('push: applies the pending migrations behind a verified backup, and says so everywhere', async () => {
      const run = await step(engine, workspace, 'push', { command: 'apply', 'target-url': target.url });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs).toMatchObject({
        outcome: 'applied',
        applied: '["0001_create_accounts","0002_create_orders"]',
        'pending-count': '0',
        current: '0002_create_orders',
      });
      expect(Number(run.outputs['duration'])).toBeGreaterThan(0);
      const backup = run.outputs['backup-path']!;
      expect(backup).toContain('push-backups');
      // The backup holds production data: readable by the runner's user alone.
      expect((await stat(backup)).mode & 0o777).toBe(0o600);
      expect(await applied(target)).toEqual(['0001_create_accounts', '0002_create_orders']);
      const [result] = json(run.outputs['results']) as { outcome: string; database: string }[];
      expect(result?.outcome).toBe('applied');
      expect(run.summary).toContain('## migration-gate apply');
      expect(run.summary).toContain('`0002_create_orders`');
      expect(run.summary).toContain('Verified backup taken before the first change');
      // The proof on the throwaway, by the pull request comment's renderer.
      expect(run.summary).toContain('Proof of the pending migrations on a throwaway');
      expect(run.summary).toMatch(/✅ 2 migrations are reversible|reversible/);
      expectNoSecret(run, secrets);
    });

    test('push again: nothing pending, nothing changed, no backup taken', async () => {
      const run = await step(engine, workspace, 'push', { command: 'apply', 'target-url': target.url });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs).toMatchObject({
        outcome: 'up-to-date',
        applied: '[]',
        'pending-count': '0',
        'backup-path': '',
      });
    });

    test('status reads the target: one pending after a merge', async () => {
      await addFiles(workspace, THIRD);
      const run = await step(engine, workspace, 'schedule', { command: 'status', 'target-url': target.url });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs).toMatchObject({
        outcome: 'ok',
        'pending-count': '1',
        current: '0002_create_orders',
      });
      expect(run.summary).toContain('`0003_add_note`');
      expectNoSecret(run, secrets);
    });

    test('workflow_dispatch with steps: 1 runs the newest down, rehearsed and behind a backup', async () => {
      const apply = await step(engine, workspace, 'push', { command: 'apply', 'target-url': target.url });
      expect(apply.outputs['applied']).toBe('["0003_add_note"]');

      const run = await step(engine, workspace, 'workflow_dispatch', {
        command: 'rollback',
        'target-url': target.url,
        steps: '1',
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs).toMatchObject({
        outcome: 'rolled-back',
        'rolled-back': '["0003_add_note"]',
        current: '0002_create_orders',
      });
      rollbackBackup = run.outputs['backup-path']!;
      expect(rollbackBackup).toContain('workflow_dispatch-backups');
      expect(await applied(target)).toEqual(['0001_create_accounts', '0002_create_orders']);
      expect(run.summary).toContain('**Plan** (rehearsed on a throwaway): `0003_add_note`');
      expectNoSecret(run, secrets);
    });

    test('workflow_dispatch with to: a name that is not applied is a usage error (exit 2), nothing changed', async () => {
      const run = await step(engine, workspace, 'workflow_dispatch', {
        command: 'rollback',
        'target-url': target.url,
        to: '0003_add_note',
      });
      expect(run.code).toBe(2);
      expect(run.outputs['outcome']).toBe('error');
      expect(run.stdout).toContain('cannot roll back to 0003_add_note: the target has not applied it');
      expect(await applied(target)).toEqual(['0001_create_accounts', '0002_create_orders']);
    });

    test('workflow_dispatch with restore: the backup the rollback took undoes it, after a fresh backup', async () => {
      await sql`insert into accounts (id, email) values (1, 'a@example.com')`.execute(target.db);
      const run = await step(engine, workspace, 'workflow_dispatch', {
        command: 'rollback',
        'target-url': target.url,
        restore: rollbackBackup,
      });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs).toMatchObject({ outcome: 'restored', current: '0003_add_note' });
      const fresh = run.outputs['backup-path']!;
      expect(fresh).not.toBe('');
      expect(fresh).not.toBe(rollbackBackup);
      expect(await readdir(dirname(fresh))).toContain(basename(fresh));
      expect(await applied(target)).toEqual(['0001_create_accounts', '0002_create_orders', '0003_add_note']);
      // The account inserted after the backup is gone: the table is the backup's again.
      expect(await target.db.selectFrom('accounts').selectAll().execute()).toEqual([]);
      expectNoSecret(run, secrets);
    });

    test('workflow_dispatch with restore: an artifact name is downloaded from the repository and restored', async () => {
      await using github = await startFakeGitHub();
      const zip = new yazl.ZipFile();
      for (const file of [rollbackBackup, manifestPathOf(rollbackBackup)]) zip.addFile(file, basename(file));
      zip.end();
      const id = github.addArtifact('migration-backup-4711', await buffer(zip.outputStream));
      await sql`delete from accounts`.execute(target.db);

      const run = await step(
        engine,
        workspace,
        'workflow_dispatch',
        {
          command: 'rollback',
          'target-url': target.url,
          restore: 'migration-backup-4711',
          'github-token': TOKEN,
        },
        { GITHUB_API_URL: github.url },
      );
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.outputs).toMatchObject({ outcome: 'restored', current: '0003_add_note' });
      expect(run.stdout).toContain('downloading artifact migration-backup-4711');
      expect(github.requests.map((request) => new URL(request.url, github.url).pathname)).toEqual([
        '/repos/acme/shop/actions/artifacts',
        `/repos/acme/shop/actions/artifacts/${id}/zip`,
        `/blob/${id}`,
      ]);
      expect(await applied(target)).toEqual(['0001_create_accounts', '0002_create_orders', '0003_add_note']);
      expectNoSecret(run, [...secrets, TOKEN]);
    });

    test('an edited applied migration refuses the apply and names it', async () => {
      await addFiles(workspace, {
        'db/migrations/0001_create_accounts.sql':
          '-- migrate:up\ncreate table accounts (id bigint primary key, email varchar(100));\n\n-- migrate:down\ndrop table accounts;\n',
      });
      const run = await step(engine, workspace, 'push', { command: 'apply', 'target-url': target.url });
      expect(run.code).toBe(1);
      expect(run.outputs['outcome']).toBe('refused');
      expect(run.stdout).toMatch(/::error title=migration-gate apply.*refused \(checksum\)/);
      expect(run.stdout).toContain('0001_create_accounts');
      await addFiles(workspace, migrations(engine));
    });
  },
  SERVER_ENGINES,
);

describe('the action on many targets', () => {
  const engine = SERVER_ENGINES[0];
  test.skipIf(engine === undefined)(
    'targets: each applied with its own backup; after an unreachable one, no new target starts',
    async () => {
      await using first = await createTargetDatabase(engine!);
      await using last = await createTargetDatabase(engine!);
      const workspace = await workspaceWith(migrations(engine!));
      try {
        const unreachable =
          dialectOf(engine!) === 'postgres'
            ? 'postgres://u:hidden@127.0.0.1:1/app'
            : 'mysql://u:hidden@127.0.0.1:1/app';
        const run = await step(engine!, workspace, 'push', {
          command: 'apply',
          targets: [first.url, '# the shard being moved:', unreachable, last.url].join('\n'),
          parallel: '1',
        });
        expect(run.code).toBe(1);
        const results = json(run.outputs['results']) as { outcome: string; backupPath: string | null }[];
        expect(results.map((result) => result.outcome)).toEqual(['applied', 'error', 'skipped']);
        expect(results[0]?.backupPath).toContain('target-1');
        expect(run.outputs['outcome']).toBe('error');
        expect(await applied(first)).toEqual(['0001_create_accounts', '0002_create_orders']);
        expect(await applied(last)).toEqual([]);
        expectNoSecret(run, ['hidden', unreachable]);
        expect(run.summary).toContain('not started: an earlier target failed');
      } finally {
        await rm(dirname(workspace), { recursive: true, force: true });
      }
    },
  );
});

describe('the backup as a workflow artifact', () => {
  const engine = SERVER_ENGINES[0];

  test.skipIf(engine === undefined)(
    'backup-artifact: the bundle uploads the verified backup and its manifest, flat, to the run',
    async () => {
      await using target = await createTargetDatabase(engine!);
      await using results = await startFakeActionsResults();
      const workspace = await workspaceWith(migrations(engine!));
      try {
        const scope = Buffer.from(JSON.stringify({ scp: 'Actions.Results:run-1:job-1' })).toString(
          'base64url',
        );
        const run = await step(
          engine!,
          workspace,
          'push',
          {
            command: 'apply',
            'target-url': target.url,
            'backup-artifact': 'migration-backup-4711',
            'backup-retention-days': '3',
          },
          { ACTIONS_RUNTIME_TOKEN: `e30.${scope}.`, ACTIONS_RESULTS_URL: results.url },
        );
        expect(run.code, run.stdout + run.stderr).toBe(0);
        const [artifact] = results.artifacts;
        expect(artifact?.name).toBe('migration-backup-4711');
        const backup = run.outputs['backup-path']!;
        const zip = await yauzl.fromBufferPromise(artifact!.blob!, { lazyEntries: true });
        const names: string[] = [];
        for await (const entry of zip.eachEntry()) names.push(entry.fileName);
        zip.close();
        expect(names.sort()).toEqual([basename(backup), basename(manifestPathOf(backup))].sort());
      } finally {
        await rm(dirname(workspace), { recursive: true, force: true });
      }
    },
  );

  test.skipIf(engine === undefined)(
    'backup-artifact is refused in a public repository, before the database is touched',
    async () => {
      await using target = await createTargetDatabase(engine!);
      const workspace = await workspaceWith(migrations(engine!));
      try {
        const event = join(dirname(workspace), 'event.json');
        await writeFile(event, JSON.stringify({ repository: { private: false, name: 'shop' } }));
        const run = await step(
          engine!,
          workspace,
          'push',
          { command: 'apply', 'target-url': target.url, 'backup-artifact': 'migration-backup' },
          { GITHUB_EVENT_PATH: event },
        );
        expect(run.code).toBe(2);
        expect(run.stdout).toContain('input backup-artifact: this repository is public');
        expect(await applied(target)).toEqual([]);
      } finally {
        await rm(dirname(workspace), { recursive: true, force: true });
      }
    },
  );
});

describeWithDocker('the action verifying a backup in a container', () => {
  test.skipIf(!SERVER_ENGINES.includes('postgres'))(
    'backup-verify: container restores it into a container of image: nothing is created on the target server',
    async () => {
      await using target = await createTargetDatabase('postgres');
      const workspace = await workspaceWith(migrations('postgres'));
      try {
        const image = CONTAINER_IMAGES.postgres;
        const docker = Object.fromEntries(
          Object.entries(process.env).filter(
            (entry): entry is [string, string] =>
              /^(DOCKER_|TESTCONTAINERS_|RYUK_)/.test(entry[0]) && entry[1] !== undefined,
          ),
        );
        const run = await step(
          'postgres',
          workspace,
          'push',
          { command: 'apply', 'target-url': target.url, 'backup-verify': 'container', image },
          docker,
        );
        expect(run.code, run.stdout + run.stderr).toBe(0);
        expect(run.outputs['outcome']).toBe('applied');
        expect(run.stdout).toMatch(
          new RegExp(`backup verified: restored into scratch database \\w+ on container ${image}`),
        );
      } finally {
        await rm(dirname(workspace), { recursive: true, force: true });
      }
    },
  );
});

describe('the action applying in one transaction', () => {
  test.skipIf(!SERVER_ENGINES.includes('postgres'))(
    'transaction: all rolls the whole run back when its last migration fails on the target',
    async () => {
      await using target = await createTargetDatabase('postgres');
      const workspace = await workspaceWith(migrations('postgres'));
      try {
        const first = await step('postgres', workspace, 'push', {
          command: 'apply',
          'target-url': target.url,
        });
        expect(first.outputs['outcome']).toBe('applied');
        // Passes on the empty throwaway, fails on the target's data.
        await sql`insert into orders (id, account_id) values (1, 7), (2, 7)`.execute(target.db);
        await addFiles(workspace, {
          'db/migrations/0003_create_tags.sql':
            '-- migrate:up\ncreate table tags (id int);\n\n-- migrate:down\ndrop table tags;\n',
          'db/migrations/0004_unique_accounts.sql':
            '-- migrate:up\ncreate unique index orders_one_per_account on orders (account_id);\n\n-- migrate:down\ndrop index orders_one_per_account;\n',
        });

        const run = await step('postgres', workspace, 'push', {
          command: 'apply',
          'target-url': target.url,
          transaction: 'all',
          'require-reversible': 'false',
        });
        expect(run.code).toBe(1);
        expect(run.outputs).toMatchObject({
          outcome: 'failed',
          applied: '[]',
          current: '0002_create_orders',
        });
        expect(run.stdout).toContain('the whole run was one transaction and was rolled back');
        expect(await applied(target)).toEqual(['0001_create_accounts', '0002_create_orders']);
      } finally {
        await rm(dirname(workspace), { recursive: true, force: true });
      }
    },
  );
});
