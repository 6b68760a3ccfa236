import { MariaDbContainer } from '@testcontainers/mariadb';
import { MySqlContainer } from '@testcontainers/mysql';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { describe, expect, test } from 'vitest';
import type { DialectName } from '../../src/core/model/dialect.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { openDatabase } from '../../src/core/parts/database/connect.ts';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { CONTAINER_LABEL } from '../../src/core/parts/throwaway/database-container.ts';
import { openThrowaway } from '../../src/core/parts/throwaway/open-throwaway.ts';
import { describeWithDocker } from '../support/docker.ts';

/**
 * The images test/docker/build-images.sh chose (official, or its local stand-ins), started the
 * way the tool starts them: each must be the engine and major version its name says, and keep
 * the official image's environment contract as testcontainers' modules use it.
 */
type Engine = 'postgres' | 'mariadb' | 'mysql';

const IMAGE_KEYS: readonly { key: string; engine: Engine }[] = [
  { key: 'MIGRATION_GATE_TEST_POSTGRES_IMAGE', engine: 'postgres' },
  { key: 'MIGRATION_GATE_TEST_POSTGRES17_IMAGE', engine: 'postgres' },
  { key: 'MIGRATION_GATE_TEST_POSTGRES18_IMAGE', engine: 'postgres' },
  { key: 'MIGRATION_GATE_TEST_MARIADB_IMAGE', engine: 'mariadb' },
  { key: 'MIGRATION_GATE_TEST_MARIADB11_IMAGE', engine: 'mariadb' },
  { key: 'MIGRATION_GATE_TEST_MYSQL_IMAGE', engine: 'mysql' },
];

// MySQL initialises its data directory and time zone tables at first start: tens of seconds.
const TIMEOUT = { timeout: 240_000 };

// A password a naive entrypoint would break: quotes, a backslash, a space, a dollar sign.
const USER = { name: 'gate_user', password: `it's a "pa\\ss" $word`, database: 'gate_db' } as const;
// Not for Postgres: @testcontainers/postgresql pastes the password unquoted into its health
// check's shell command (PGPASSWORD=... pg_isready), which such a password breaks on any image.
const POSTGRES_PASSWORD = 'gate-password';
const ROOT_PASSWORD = `root's \\ "secret"`;

// Copied into /docker-entrypoint-initdb.d: runs once, in USER.database, before the port opens.
const INIT_SQL = 'create table initdb_probe (id int primary key);\ninsert into initdb_probe values (7);\n';

/** `9.7` from `migration-gate-local/mysql:9.7`, `16` from `postgres:16-alpine`. */
function versionOfTag(image: string): string {
  const version = /:(\d+(?:\.\d+)?)/.exec(image)?.[1];
  if (version === undefined) throw new Error(`no version in the tag of ${image}`);
  return version;
}

/** What `select version()` must say: the engine, and the major version the tag names. */
function expectEngine(engine: Engine, version: string, tagVersion: string): void {
  if (engine === 'postgres') {
    expect(version).toMatch(new RegExp(`^PostgreSQL ${tagVersion.replace('.', '\\.')}[.\\s]`));
  } else {
    expect(version.startsWith(`${tagVersion}.`) || version === tagVersion).toBe(true);
    if (engine === 'mariadb') expect(version).toContain('MariaDB');
    else expect(version).not.toMatch(/mariadb/i);
  }
}

async function selectVersion(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ version: string }>`select version() as version`.execute(db);
  return rows[0]!.version;
}

function dialectOf(engine: Engine): DialectName {
  return engine === 'postgres' ? 'postgres' : 'mysql';
}

interface ContractContainer {
  /** The user MYSQL_USER / POSTGRES_USER created, in its database. */
  readonly userUrl: string;
  /** Root over TCP (for Postgres the same superuser), as the tool connects. */
  readonly rootUrl: string;
  stop(): Promise<unknown>;
}

/**
 * The module database-container.ts picks for the image, as it configures it, plus the user,
 * database, root password and init script the environment contract covers.
 */
async function startContractContainer(engine: Engine, image: string): Promise<ContractContainer> {
  const init = [{ content: INIT_SQL, target: '/docker-entrypoint-initdb.d/001-probe.sql' }];
  const stopOptions = { remove: true, removeVolumes: true };
  if (engine === 'postgres') {
    const started = await new PostgreSqlContainer(image)
      .withUsername(USER.name)
      .withPassword(POSTGRES_PASSWORD)
      .withDatabase(USER.database)
      .withCopyContentToContainer(init)
      .withLabels({ [CONTAINER_LABEL]: 'true' })
      .start();
    const url = started.getConnectionUri();
    return { userUrl: url, rootUrl: url, stop: () => started.stop(stopOptions) };
  }
  // As the tool does: the MariaDB module for an image named mariadb, else the MySQL one.
  const module = /mariadb/i.test(image) ? new MariaDbContainer(image) : new MySqlContainer(image);
  const started = await module
    .withUsername(USER.name)
    .withUserPassword(USER.password)
    .withRootPassword(ROOT_PASSWORD)
    .withDatabase(USER.database)
    .withCopyContentToContainer(init)
    .withLabels({ [CONTAINER_LABEL]: 'true' })
    .start();
  return {
    userUrl: started.getConnectionUri(),
    rootUrl: started.getConnectionUri(true),
    stop: () => started.stop(stopOptions),
  };
}

async function queryAs(url: string, query: (db: Kysely<any>) => Promise<void>): Promise<void> {
  const { db } = await openDatabase(parseConnectionUrl(url));
  try {
    await query(db);
  } finally {
    await db.destroy();
  }
}

for (const { key, engine } of IMAGE_KEYS) {
  const image = process.env[key];
  if (image === undefined || image === '') {
    const reason = `${key} is not set (test/docker/build-images.sh writes it to test/docker/.images.env)`;
    if (process.env['CI'] === 'true') {
      // As test/support/engines.ts does for engines: a green CI never hides an untested image.
      describe(`stand-in image ${key}`, () => {
        test('is set in CI', () => {
          throw new Error(`${reason}, and CI requires it`);
        });
      });
    } else {
      console.warn(`skipping image ${key}: ${reason}`);
      describe.skip(`stand-in image ${key}`, () => {});
    }
    continue;
  }
  const tagVersion = versionOfTag(image);

  describeWithDocker(`image ${image} (${key})`, () => {
    test(`the tool starts it as ${engine} ${tagVersion}`, TIMEOUT, async () => {
      await using throwaway = await openThrowaway('container', {
        dialect: dialectOf(engine),
        image,
        logger: silentLogger,
      });
      expectEngine(engine, await selectVersion(throwaway.db), tagVersion);
      expect(throwaway.serverVersion.startsWith(tagVersion)).toBe(true);
      // The scratch database the tool created is usable.
      await sql`create table scratch_probe (id int primary key)`.execute(throwaway.db);
      await sql`drop table scratch_probe`.execute(throwaway.db);
    });

    test('keeps the environment contract: user, password, database, initdb.d', TIMEOUT, async () => {
      const container = await startContractContainer(engine, image);
      try {
        // The user, in its database, which the init script filled before the port opened.
        await queryAs(container.userUrl, async (db) => {
          expectEngine(engine, await selectVersion(db), tagVersion);
          const { rows } = await sql<{ id: number }>`select id from initdb_probe`.execute(db);
          expect(rows.map((row) => Number(row.id))).toEqual([7]);
        });
        // Root over TCP with its password (root@'%', like the official image) creates databases,
        // as the tool's scratch databases need.
        await queryAs(container.rootUrl, async (db) => {
          await sql`create database gate_root_probe`.execute(db);
          await sql`drop database gate_root_probe`.execute(db);
        });
      } finally {
        await container.stop();
      }
    });
  });
}
