import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.ts';
import { checkSql, findingsOf } from './rows-fixture.ts';

const MIGRATIONS = {
  '0001_users': {
    up: 'create table users (id int primary key, username varchar(100));',
    down: 'drop table users;',
  },
  '0002_username_not_null': {
    up: 'alter table users alter column username set not null;',
    down: 'alter table users alter column username drop not null;',
  },
};

const MYSQL_MIGRATIONS = {
  ...MIGRATIONS,
  '0002_username_not_null': {
    up: 'alter table users modify username varchar(100) not null;',
    down: 'alter table users modify username varchar(100) null;',
  },
};

describeEachEngine("the project's own seed", (engine) => {
  const migrations = engine === 'mariadb' ? MYSQL_MIGRATIONS : MIGRATIONS;

  it('runs a SQL seed once its tables exist, and its rows make a step fail without generated rows', async () => {
    const check = await checkSql(engine, migrations, {
      seedRows: false,
      seed: 'seed.sql',
      files: {
        'seed.sql':
          "insert into users (id, username) values (1, 'ada');\ninsert into users (id) values (2);\n",
      },
    });
    expect(findingsOf(check, '0002_username_not_null')).toEqual([
      expect.objectContaining({ id: 'fails-on-existing-rows', rows: 'users.username holds NULL' }),
    ]);
  }, 120_000);

  it('takes the seed from migration-gate.config.json', async () => {
    const check = await checkSql(engine, migrations, {
      seedRows: false,
      files: {
        'migration-gate.config.json': '{ "seed": "seed.sql" }',
        'seed.sql': 'insert into users (id) values (2);\n',
      },
    });
    expect(findingsOf(check, '0002_username_not_null').map((finding) => finding.id)).toEqual([
      'fails-on-existing-rows',
    ]);
  }, 120_000);
});

describe("kysely-ctl's seed folder", () => {
  it('runs its seed modules, each exporting seed(db), in name order', async () => {
    const check = await checkSql('pglite', MIGRATIONS, {
      seedRows: false,
      files: {
        'kysely.config.ts': "export default { seeds: { seedFolder: 'seeds' } };\n",
        'seeds/01_users.ts':
          "import type { Kysely } from 'kysely';\nexport async function seed(db: Kysely<any>) {\n  await db.insertInto('users').values({ id: 1, username: null }).execute();\n}\n",
      },
    });
    expect(findingsOf(check, '0002_username_not_null').map((finding) => finding.rows)).toEqual([
      'users.username holds NULL',
    ]);
  }, 120_000);

  it('refuses a seed module without seed(db), naming the file', async () => {
    await expect(
      checkSql('pglite', MIGRATIONS, {
        seed: 'seeds',
        files: { 'seeds/01_nothing.ts': 'export const x = 1;\n' },
      }),
    ).rejects.toThrow(/seeds\/01_nothing\.ts exports no seed\(db\) function/);
  }, 120_000);
});
