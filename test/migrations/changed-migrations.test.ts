import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { changedMigrations } from '../../src/core/parts/migrations/changed-migrations.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

// Keep git from finding a repository above the temporary folders, wherever they live.
const ceiling = process.env['GIT_CEILING_DIRECTORIES'];
process.env['GIT_CEILING_DIRECTORIES'] = [tmpdir(), realpathSync(tmpdir())].join(delimiter);
afterAll(() => {
  if (ceiling === undefined) delete process.env['GIT_CEILING_DIRECTORIES'];
  else process.env['GIT_CEILING_DIRECTORIES'] = ceiling;
});

const now = new Date('2025-06-07T08:09:10.000Z');

describe('changedMigrations: what a change set does to the merged history', () => {
  let project: string;
  let base: string;

  async function write(path: string, text: string): Promise<void> {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), text);
  }

  async function table(name: string, table: string): Promise<void> {
    await write(
      `db/migrations/${name}.sql`,
      `-- migrate:up\ncreate table ${table} (id int);\n-- migrate:down\ndrop table ${table};\n`,
    );
  }

  function commit(message: string): string {
    git(project, 'add', '-A');
    git(project, 'commit', '--quiet', '-m', message);
    return git(project, 'rev-parse', 'HEAD');
  }

  async function changesSince(ref: string, path = 'db/migrations') {
    const folder = join(project, path);
    const migrations = await loadMigrations({ path: folder, dialect: 'postgres' });
    const changes = await changedMigrations({ base: ref, migrations, path: folder, cwd: project, now });
    return { added: [...changes.added].sort(), problems: changes.problems };
  }

  beforeEach(async () => {
    project = realpathSync(await mkdtemp(join(tmpdir(), 'migration-gate-changes-')));
    git(project, 'init', '--quiet', '--initial-branch=main');
    await table('0001_create_authors', 'authors');
    await table('0002_create_books', 'books');
    base = commit('two merged migrations');
  });

  afterEach(async () => {
    await rm(project, { recursive: true, force: true });
  });

  test('added migrations are new; merged ones are not, and nothing is a problem', async () => {
    await table('0003_create_reviews', 'reviews');
    await write('db/migrations/README.md', 'notes\n');
    commit('a new migration and a readme');

    expect(await changesSince(base)).toEqual({ added: ['0003_create_reviews'], problems: [] });
  });

  test('a merged migration that was edited is a problem on its file', async () => {
    await write(
      'db/migrations/0002_create_books.sql',
      '-- migrate:up\ncreate table books (id bigint);\n-- migrate:down\ndrop table books;\n',
    );
    commit('edit a merged migration');

    expect((await changesSince(base)).problems).toEqual([
      {
        kind: 'modified',
        name: '0002_create_books',
        file: join('db', 'migrations', '0002_create_books.sql'),
        message: '0002_create_books was already merged; write a new migration instead',
      },
    ]);
  });

  test('an edit not committed yet counts too', async () => {
    await write('db/migrations/0001_create_authors.sql', '-- migrate:up\nselect 1;\n-- migrate:down\n');

    expect((await changesSince('HEAD')).problems.map((p) => [p.kind, p.name])).toEqual([
      ['modified', '0001_create_authors'],
    ]);
  });

  test('a merged migration that was deleted is a problem', async () => {
    git(project, 'rm', '--quiet', 'db/migrations/0001_create_authors.sql');
    commit('delete a merged migration');

    expect((await changesSince(base)).problems).toEqual([
      {
        kind: 'deleted',
        name: '0001_create_authors',
        file: join('db', 'migrations', '0001_create_authors.sql'),
        message: '0001_create_authors was already merged; write a new migration instead',
      },
    ]);
  });

  test('removing the down file of a merged migration modifies that migration', async () => {
    await write('db/migrations/0003_create_tags.up.sql', 'create table tags (id int);\n');
    await write('db/migrations/0003_create_tags.down.sql', 'drop table tags;\n');
    const withTags = commit('a migration in two files');
    git(project, 'rm', '--quiet', 'db/migrations/0003_create_tags.down.sql');
    commit('drop its down');

    expect((await changesSince(withTags)).problems.map((p) => [p.kind, p.name, p.file])).toEqual([
      ['modified', '0003_create_tags', join('db', 'migrations', '0003_create_tags.down.sql')],
    ]);
  });

  test('a new migration that sorts before the newest merged one is out of order, with a name that sorts last', async () => {
    git(project, 'branch', 'feature');
    await table('0003_create_reviews', 'reviews');
    const mainTip = commit('main moves on');
    git(project, 'checkout', '--quiet', 'feature');
    await table('0003_add_isbn', 'isbns');
    commit('a migration written before main moved on');

    // The branch itself is checked out: 0003_create_reviews is not in the working tree.
    const changes = await changesSince(mainTip);
    expect(changes.added).toEqual(['0003_add_isbn']);
    expect(changes.problems).toEqual([
      {
        kind: 'out-of-order',
        name: '0003_add_isbn',
        file: join('db', 'migrations', '0003_add_isbn.sql'),
        message:
          '0003_add_isbn sorts before 0003_create_reviews, which is already merged: Kysely refuses to run ' +
          'it on a database that has 0003_create_reviews; rename it to 0004_add_isbn',
        suggestedName: '0004_add_isbn',
      },
    ]);
  });

  test('several new migrations out of order get names that keep their order', async () => {
    await table('0005_create_shelves', 'shelves');
    const withShelves = commit('a later merged migration');
    await table('0003_add_isbn', 'isbns');
    await table('0004_add_prices', 'prices');
    commit('two migrations numbered before it');

    expect(
      (await changesSince(withShelves)).problems.map(({ kind, name, suggestedName }) => [
        kind,
        name,
        suggestedName,
      ]),
    ).toEqual([
      ['out-of-order', '0003_add_isbn', '0006_add_isbn'],
      ['out-of-order', '0004_add_prices', '0007_add_prices'],
    ]);
  });

  test('migrations merged on the base after the branch forked are neither new nor deleted in the merge commit', async () => {
    git(project, 'checkout', '--quiet', '-b', 'feature');
    await table('0004_create_shelves', 'shelves');
    commit('a new migration on the branch');
    git(project, 'checkout', '--quiet', 'main');
    await table('0003_create_reviews', 'reviews');
    const mainTip = commit('main moves on');
    // What actions/checkout gives a pull_request run: the branch merged into the base.
    git(project, 'merge', '--quiet', '--no-edit', 'feature');

    expect(await changesSince(mainTip)).toEqual({ added: ['0004_create_shelves'], problems: [] });
  });

  test('for an index module, an edited re-exported file is a problem; listing a new migration is not', async () => {
    await write(
      'db/index-set/0001_users.ts',
      'export async function up() {}\nexport async function down() {}\n',
    );
    await write('db/index-set/index.ts', "export * as m0001_users from './0001_users.ts';\n");
    const indexBase = commit('an index module');
    await write(
      'db/index-set/0001_users.ts',
      'export async function up() {}\n// edited\nexport async function down() {}\n',
    );
    await write(
      'db/index-set/0002_posts.ts',
      'export async function up() {}\nexport async function down() {}\n',
    );
    await write(
      'db/index-set/index.ts',
      "export * as m0001_users from './0001_users.ts';\nexport * as m0002_posts from './0002_posts.ts';\n",
    );
    commit('edit one, add one');

    const changes = await changesSince(indexBase, 'db/index-set');
    expect(changes.added).toEqual(['m0002_posts']);
    expect(changes.problems.map((p) => [p.kind, p.name, p.file])).toEqual([
      ['modified', 'm0001_users', join('db', 'index-set', '0001_users.ts')],
    ]);
  });
});
