import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { runCheck } from '../../src/core/flows/check/run-check.ts';
import type { CheckResult } from '../../src/core/model/check-result.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import type { TargetRowCheck } from '../../src/core/model/target-rows.ts';
import { loadMigrations } from '../../src/core/parts/migrations/load-migrations.ts';
import type { RowCountSettings } from '../../src/core/parts/target/row-count-settings.ts';
import { gateFailure } from '../../src/core/parts/report/gate.ts';
import { renderCheckText } from '../../src/core/parts/report/text-report.ts';
import { renderCheckMarkdown } from '../../src/core/parts/report/markdown-report.ts';
import { renderCheckJson } from '../../src/core/parts/report/json-report.ts';
import { checkOutputs } from '../../src/action/outputs.ts';
import type { DialectName } from '../../src/core/model/dialect.ts';
import { AVAILABLE_ENGINES, describeEachEngine, dialectOf, serverUrlOf } from '../support/engines.ts';
import { createTargetDatabaseOn } from './target-database.ts';
import type { TargetDatabase } from './target-database.ts';

const SERVER_ENGINES = AVAILABLE_ENGINES.filter((engine) => engine !== 'pglite');

/** Which SQL the test's migrations are written in: MySQL takes MariaDB's. */
type Kind = 'postgres' | 'mariadb';

/** A server to fill a target on and prove on. */
interface Server {
  readonly kind: Kind;
  readonly url: string;
}

function dialectOfKind(kind: Kind): DialectName {
  return kind === 'postgres' ? 'postgres' : 'mysql';
}

/** SQL migration files per engine: name → [up, down]. */
type Files = Record<string, readonly [string, string]>;

const BASE: Record<Kind, string> = {
  postgres: `
    create type mood as enum ('happy', 'sad', 'meh');
    create table orgs (id int primary key, name text);
    create table users (id int primary key, org_id int, username text, nickname varchar(100),
      code text, age int, mood mood, email text);`,
  mariadb: `
    create table orgs (id int primary key, name text);
    create table users (id int primary key, org_id int, username varchar(50), nickname varchar(100),
      code varchar(20), age int, mood enum('happy', 'sad', 'meh'), email varchar(100));`,
};
const BASE_DOWN: Record<Kind, string> = {
  postgres: 'drop table users; drop table orgs; drop type mood;',
  mariadb: 'drop table users; drop table orgs;',
};

/** One migration tightening users every way a pending migration can. */
const TIGHTEN: Record<Kind, readonly [string, string]> = {
  postgres: [
    `alter table users alter column username set not null;
     alter table users add constraint users_email_key unique (email);
     alter table users add constraint users_org_fk foreign key (org_id) references orgs (id);
     alter table users add constraint users_age_check check (age >= 0);
     alter table users alter column nickname type varchar(10);
     alter table users alter column code type integer using code::integer;`,
    `alter table users alter column code type text;
     alter table users alter column nickname type varchar(100);
     alter table users drop constraint users_age_check;
     alter table users drop constraint users_org_fk;
     alter table users drop constraint users_email_key;
     alter table users alter column username drop not null;`,
  ],
  mariadb: [
    `alter table users modify username varchar(50) not null;
     create unique index users_email_key on users (email);
     alter table users add constraint users_org_fk foreign key (org_id) references orgs (id);
     alter table users add constraint users_age_check check (age >= 0);
     alter table users modify nickname varchar(10);
     alter table users modify code int;`,
    `alter table users modify code varchar(20);
     alter table users modify nickname varchar(100);
     alter table users drop constraint users_age_check;
     alter table users drop foreign key users_org_fk;
     alter table users drop index users_org_fk;
     drop index users_email_key on users;
     alter table users modify username varchar(50);`,
  ],
};

const DROP_SAD: Record<Kind, readonly [string, string]> = {
  postgres: [
    `alter type mood rename to mood_old;
     create type mood as enum ('happy', 'meh');
     alter table users alter column mood type mood using mood::text::mood;
     drop type mood_old;`,
    `alter type mood rename to mood_new;
     create type mood as enum ('happy', 'sad', 'meh');
     alter table users alter column mood type mood using mood::text::mood;
     drop type mood_new;`,
  ],
  mariadb: [
    `alter table users modify mood enum('happy', 'meh');`,
    `alter table users modify mood enum('happy', 'sad', 'meh');`,
  ],
};

const BACKFILL: Record<Kind, readonly [string, string]> = {
  postgres: [
    `update users set nickname = '' where nickname is null;
     alter table users alter column nickname set not null;`,
    `alter table users alter column nickname drop not null;`,
  ],
  mariadb: [
    `update users set nickname = '' where nickname is null;
     alter table users modify nickname varchar(10) not null;`,
    `alter table users modify nickname varchar(10);`,
  ],
};

async function writeMigrations(files: Files): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-target-rows-'));
  for (const [name, [up, down]] of Object.entries(files)) {
    await writeFile(join(dir, `${name}.up.sql`), up);
    await writeFile(join(dir, `${name}.down.sql`), down);
  }
  return dir;
}

/** Proves `files` and reads `target` with them, after the test applied `applied` there. */
async function checkAgainst(
  server: Server,
  dir: string,
  target: TargetDatabase,
  rowCounts?: Partial<RowCountSettings>,
): Promise<CheckResult> {
  return runCheck({
    migrations: dir,
    dialect: dialectOfKind(server.kind),
    throwaway: 'server',
    serverUrl: server.url,
    mode: 'step',
    cwd: dir,
    targetUrl: target.url,
    logger: silentLogger,
    riskSettings: {},
    ...(rowCounts === undefined ? {} : { targetRowCounts: rowCounts }),
  });
}

async function applyBase(target: TargetDatabase, dir: string, server: Server): Promise<void> {
  const migrations = await loadMigrations({ path: dir, dialect: dialectOfKind(server.kind) });
  await target.migrateTo(migrations, '0001_base');
}

function byId(checks: readonly TargetRowCheck[] | undefined): Record<string, TargetRowCheck> {
  return Object.fromEntries((checks ?? []).map((check) => [check.id, check]));
}

/** The tests of both kinds of server; `serverOf` is asked inside each test. */
function countingTests(serverOf: () => Server): void {
  describe('check --target-url counts the rows a pending migration would fail on', () => {
    test('each constraint kind, counted exactly on a target filled by hand; a backfill first does not fail the gate', async () => {
      const server = serverOf();
      const kind = server.kind;
      const dir = await writeMigrations({
        '0001_base': [BASE[kind], BASE_DOWN[kind]],
        '0002_tighten': TIGHTEN[kind],
        '0003_drop_sad': DROP_SAD[kind],
        '0004_backfill_nickname': BACKFILL[kind],
      });
      try {
        await using target = await createTargetDatabaseOn(server.url);
        await applyBase(target, dir, server);
        await sql`insert into orgs values (1, 'a')`.execute(target.db);
        await sql`insert into users (id, org_id, username, nickname, code, age, mood, email) values
          (1, 1, 'a', 'short', '1', 1, 'happy', 'a@x'),
          (2, 2, null, 'much too long a nickname', 'abc', -1, 'sad', 'dup'),
          (3, 3, null, null, '12', -5, 'sad', 'dup'),
          (4, null, 'd', 'x', '7', null, 'meh', 'dup'),
          (5, 1, null, null, 'x1', 3, 'happy', 'dup2'),
          (6, 1, 'f', null, null, 4, null, 'dup2')`.execute(target.db);

        const result = await checkAgainst(server, dir, target);
        const checks = byId(result.target?.rowChecks);
        expect(Object.keys(checks).sort()).toEqual(
          [
            '0002_tighten/not-null:users.username',
            '0002_tighten/unique:users(email)',
            '0002_tighten/foreign-key:users(org_id)',
            '0002_tighten/check:users.users_age_check',
            '0002_tighten/max-length:users.nickname',
            '0002_tighten/cast:users.code',
            '0003_drop_sad/enum-values:users.mood',
            '0004_backfill_nickname/not-null:users.nickname',
          ].sort(),
        );
        const tighten = (key: string) => checks[`0002_tighten/${key}`]!;
        expect(tighten('not-null:users.username')).toMatchObject({
          rows: 3,
          fails: true,
          message: 'would fail on the target: 3 rows of users have NULL in username',
        });
        expect(tighten('unique:users(email)')).toMatchObject({
          rows: 5,
          groups: 2,
          fails: true,
          message: 'would fail on the target: 5 rows of users share 2 duplicated values of email',
        });
        expect(tighten('foreign-key:users(org_id)')).toMatchObject({
          rows: 2,
          message: 'would fail on the target: 2 rows of users have org_id with no matching row in orgs',
        });
        expect(tighten('check:users.users_age_check')).toMatchObject({ rows: 2, fails: true });
        expect(tighten('check:users.users_age_check').message).toMatch(
          /^would fail on the target: 2 rows of users break CHECK users_age_check \(.*age.* >= 0.*\)$/,
        );
        expect(tighten('max-length:users.nickname')).toMatchObject({
          rows: 1,
          message: 'would fail on the target: 1 row of users has nickname longer than 10 characters',
        });
        // integer on Postgres, int on MySQL and MariaDB (display widths are left out).
        const int = (tighten('cast:users.code').demand as { type: string }).type;
        expect(int).toBe(kind === 'postgres' ? 'integer' : 'int');
        expect(tighten('cast:users.code')).toMatchObject({
          rows: 2,
          message: `would fail on the target: 2 rows of users have code that is not a whole number (the new type is ${int})`,
        });
        expect(checks['0003_drop_sad/enum-values:users.mood']).toMatchObject({
          rows: 2,
          fails: true,
          message: "would fail on the target: 2 rows of users have mood set to a removed value ('sad')",
        });
        expect(checks['0004_backfill_nickname/not-null:users.nickname']).toMatchObject({
          rows: 3,
          fails: false,
          writtenBy: '0004_backfill_nickname',
        });

        expect(gateFailure(result, 'error')).toContain("7 constraints would fail on the target's rows");
        expect(gateFailure(result, 'never')).toBeUndefined();
        const text = renderCheckText(result, 'error');
        expect(text).toContain(
          '       would fail on the target: 3 rows of users have NULL in username [0002_tighten/not-null:users.username]',
        );
        expect(renderCheckMarkdown(result)).toContain(
          '- ❌ would fail on the target: 3 rows of users have NULL in username (<code>0002_tighten/not-null:users.username</code>)',
        );
        const json = JSON.parse(renderCheckJson(result, 'error')) as CheckResult;
        expect(json.target?.rowChecks?.map((check) => check.id)).toContain(
          '0002_tighten/unique:users(email)',
        );
        const outputs = checkOutputs(result, { json: 'r.json', markdown: 'r.md' }, 'error');
        expect(JSON.parse(outputs['target-row-checks']!)).toContainEqual({
          id: '0002_tighten/not-null:users.username',
          fails: true,
          rows: 3,
        });

        const users = result.target?.tables?.find((size) => size.table === 'users');
        expect(users?.migrations).toContain('0002_tighten');
        expect(users?.bytes).toBeGreaterThan(0);
        expect(users?.estimate?.because).toMatch(
          /^change-column-type in 0002_tighten.*: .+ at an assumed (40|12) MB\/s$/,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('check --target-url bounds its counting queries', () => {
    const textTypeOf = (kind: Kind) => (kind === 'postgres' ? 'text' : 'varchar(20)');

    /** A target whose events table holds `rows` rows with NULL kind, analyzed so the engine estimates them. */
    async function filledTarget(server: Server, dir: string, rows: number): Promise<TargetDatabase> {
      const kind = server.kind;
      const target = await createTargetDatabaseOn(server.url);
      await applyBase(target, dir, server);
      // Five digits crossed: no recursion limit to meet, the same on every engine.
      const digit = sql.raw(
        `(select 0 as d ${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `union all select ${n}`).join(' ')})`,
      );
      await sql`insert into events (id) select n from (select a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 1 as n from ${digit} as a, ${digit} as b, ${digit} as c, ${digit} as e, ${digit} as f) as s where n <= ${sql.lit(rows)}`.execute(
        target.db,
      );
      await sql.raw(kind === 'postgres' ? 'analyze events' : 'analyze table events').execute(target.db);
      return target;
    }

    test('a table estimated above the bound is counted on a sample, scaled to the table and said so', async () => {
      const server = serverOf();
      const kind = server.kind;
      const textType = textTypeOf(kind);
      const dir = await writeMigrations({
        '0001_base': [`create table events (id int primary key, kind ${textType})`, 'drop table events'],
        '0002_kind_not_null':
          kind === 'postgres'
            ? [
                'alter table events alter column kind set not null',
                'alter table events alter column kind drop not null',
              ]
            : [
                'alter table events modify kind varchar(20) not null',
                'alter table events modify kind varchar(20)',
              ],
      });
      try {
        await using target = await filledTarget(server, dir, 20_000);
        const result = await checkAgainst(server, dir, target, { sampleAbove: 1_000, sampleRows: 5_000 });
        const events = result.target?.tables?.find((size) => size.table === 'events');
        expect(events?.rows).toBeGreaterThan(1_000);
        const check = byId(result.target?.rowChecks)['0002_kind_not_null/not-null:events.kind'];
        // Every row breaks it, so the sample's share scaled to the estimate is the estimate.
        expect(check?.notCounted).toBeUndefined();
        expect(check).toMatchObject({ rows: events?.rows, fails: true, sample: { scaled: true } });
        expect(check?.message).toBe(
          `would fail on the target: about ${events?.rows?.toLocaleString('en-US')} rows of events have NULL in kind (sample of ${Number(check?.sample?.percent.toPrecision(2))}%)`,
        );
        expect(check?.sample?.percent).toBeLessThan(100);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a count that outlasts the statement timeout is not counted, and does not fail the gate', async () => {
      const server = serverOf();
      const kind = server.kind;
      const textType = textTypeOf(kind);
      const slow =
        kind === 'postgres'
          ? 'length(pg_sleep(1)::text) = 0'
          : "length(repeat(coalesce(kind, 'x'), 100000)) > 0";
      const dir = await writeMigrations({
        '0001_base': [`create table events (id int primary key, kind ${textType})`, 'drop table events'],
        '0002_slow_check': [
          `alter table events add constraint slow check (${slow})`,
          kind === 'postgres'
            ? 'alter table events drop constraint slow'
            : 'alter table events drop constraint slow',
        ],
      });
      try {
        await using target = await filledTarget(server, dir, kind === 'postgres' ? 1 : 20_000);
        const result = await checkAgainst(server, dir, target, { timeoutMs: 50 });
        const check = byId(result.target?.rowChecks)['0002_slow_check/check:events.slow'];
        expect(check).toMatchObject({
          notCounted: 'timed out after 0.05 s',
          fails: false,
          message: 'not counted (CHECK slow on events): timed out after 0.05 s',
        });
        expect(check?.rows).toBeUndefined();
        expect(gateFailure(result, 'error') ?? '').not.toContain('on the target');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}

describeEachEngine(
  'target rows',
  (engine) =>
    countingTests(() => ({
      // MySQL takes MariaDB's SQL here; what differs (the type's spelling, the timeout variable,
      // CHECK_CLAUSE's escaped literals) is the product's to handle.
      kind: dialectOf(engine) === 'postgres' ? 'postgres' : 'mariadb',
      url: serverUrlOf(engine)!,
    })),
  SERVER_ENGINES,
);
