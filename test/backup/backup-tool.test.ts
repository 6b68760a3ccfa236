import { describe, expect, test } from 'vitest';
import {
  chooseTool,
  clientMisfit,
  localToolEnvironment,
  parseClientVersion,
} from '../../src/core/parts/backup/backup-tool.ts';
import { mirroredImage, parseImageMirror } from '../../src/core/parts/throwaway/image-mirror.ts';
import { dockerAnswers } from '../../src/core/parts/throwaway/docker-ping.ts';
import { CONTAINER_IMAGES } from '../support/docker.ts';
import type { ToolEnvironment } from '../../src/core/parts/backup/backup-tool.ts';
import { officialImage, serverFamily } from '../../src/core/parts/database/engine-version.ts';
import { describeCountDifferences } from '../../src/core/parts/backup/compare-restored.ts';
import { backupStem, manifestPathOf } from '../../src/core/parts/backup/backup-files.ts';
import { backupStepForApply } from '../../src/core/parts/backup/take-verified-backup.ts';
import { parseConnectionUrl } from '../../src/core/parts/database/connection-url.ts';
import { silentLogger } from '../../src/core/model/logger.ts';
import { closedLoopbackPort } from '../cli/loopback-server.ts';

/** An engine the container fallback would run `docker` against. */
const LOCAL_ENGINE = {
  uri: 'unix:///var/run/docker.sock',
  cliEnvironment: { DOCKER_HOST: 'unix:///var/run/docker.sock' },
};

function machine(versions: Record<string, string>, docker: boolean): ToolEnvironment {
  return {
    versionOutput: async (name) => versions[name],
    dockerEndpoint: async () => (docker ? LOCAL_ENGINE : undefined),
  };
}

describe('which dump and restore programs fit a server', () => {
  test('reads the versions the clients print', () => {
    expect(parseClientVersion('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n')).toEqual({
      version: '15.20',
      mariadb: false,
    });
    expect(
      parseClientVersion('mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)'),
    ).toEqual({ version: '10.11.19-MariaDB', mariadb: true });
    expect(
      parseClientVersion('mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)'),
    ).toEqual({ version: '8.0.36', mariadb: false });
    expect(
      parseClientVersion('mariadb-dump from 11.8.9-MariaDB, client 10.20 for debian-linux-gnu (x86_64)'),
    ).toEqual({ version: '11.8.9-MariaDB', mariadb: true });
    expect(parseClientVersion('mysqldump  Ver 9.7.4-2 for Linux on x86_64 ((Debian))')).toEqual({
      version: '9.7.4',
      mariadb: false,
    });
    expect(parseClientVersion('nonsense')).toBeUndefined();
  });

  test('pg_dump must be at least the server major; MySQL wants its own client, MariaDB its own', () => {
    expect(clientMisfit('postgres', '15.20', { version: '16.4', mariadb: false })).toBeUndefined();
    expect(clientMisfit('postgres', '15.20 (Debian)', { version: '15.2', mariadb: false })).toBeUndefined();
    expect(clientMisfit('postgres', '16.4', { version: '15.20', mariadb: false })).toMatch(
      /older than server major 16/,
    );
    expect(serverFamily('mysql', '10.11.19-MariaDB-0+deb12u1')).toBe('mariadb');
    expect(serverFamily('mysql', '8.0.36')).toBe('mysql');
    expect(
      clientMisfit('mariadb', '10.11.19-MariaDB', { version: '10.11.19-MariaDB', mariadb: true }),
    ).toBeUndefined();
    expect(clientMisfit('mariadb', '11.4.2-MariaDB', { version: '10.11.19-MariaDB', mariadb: true })).toMatch(
      /older than server 11.4/,
    );
    expect(clientMisfit('mysql', '8.0.36', { version: '10.11.19-MariaDB', mariadb: true })).toMatch(
      /MariaDB client for a MySQL server/,
    );
    expect(clientMisfit('mysql', '8.4.3', { version: '8.4.0', mariadb: false })).toBeUndefined();
    expect(officialImage('postgres', '16.4 (Debian)')).toBe('postgres:16');
    expect(officialImage('mariadb', '10.11.19-MariaDB-0+deb12u1')).toBe('mariadb:10.11');
    expect(officialImage('mysql', '8.0.36')).toBe('mysql:8.0');
  });

  test('a fitting local client is used; otherwise the server image in a container; otherwise a reason', async () => {
    const local = await chooseTool('postgres', '15.20', 'dump', {
      environment: machine({ pg_dump: 'pg_dump (PostgreSQL) 15.20' }, true),
    });
    expect(local).toMatchObject({ ok: true, tool: { name: 'pg_dump', where: 'local', version: '15.20' } });

    const fallback = await chooseTool('postgres', '17.2', 'dump', {
      environment: machine({ pg_dump: 'pg_dump (PostgreSQL) 15.20' }, true),
    });
    expect(fallback).toMatchObject({
      ok: true,
      tool: { name: 'pg_dump', where: 'container', image: 'postgres:17' },
    });

    const given = await chooseTool('mysql', '8.0.36', 'dump', {
      image: 'registry.example.com/mysql:8.0.36',
      environment: machine({ mysqldump: 'mysqldump  Ver 10.19 Distrib 10.11.19-MariaDB' }, true),
    });
    expect(given).toMatchObject({
      ok: true,
      tool: {
        name: 'mysqldump',
        where: 'container',
        image: 'registry.example.com/mysql:8.0.36',
      },
    });

    const oldMariadb = await chooseTool('mysql', '10.4.32-MariaDB', 'dump', {
      environment: machine({}, true),
    });
    expect(oldMariadb).toMatchObject({
      ok: true,
      tool: { name: 'mysqldump', where: 'container', image: 'mariadb:10.4' },
    });

    const mariadb = await chooseTool('mysql', '10.11.19-MariaDB-0+deb12u1', 'restore', {
      environment: machine(
        { mariadb: 'mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu' },
        false,
      ),
    });
    expect(mariadb).toMatchObject({ ok: true, tool: { name: 'mariadb', where: 'local' } });

    const none = await chooseTool('postgres', '17.2', 'restore', {
      environment: machine({ pg_restore: 'pg_restore (PostgreSQL) 15.20' }, false),
    });
    expect(none).toEqual({
      ok: false,
      message:
        'no restore tool fits the server 17.2: pg_restore does not fit: client 15.20 is older than server major 17; no Docker engine answers for the container fallback',
      details: [],
    });

    const localOnly = await chooseTool('postgres', '15.20', 'dump', {
      placement: 'local',
      environment: machine({}, true),
    });
    expect(localOnly).toEqual({
      ok: false,
      message: 'no local dump tool fits the server 15.20: pg_dump is not installed',
      details: [],
    });
  });

  test('in a container, `docker` runs against the engine that answered, not the one it finds alone', async () => {
    const engine = 'unix:///nonexistent/migration-gate-test/docker.sock';
    const chosen = await chooseTool('postgres', '15.20', 'dump', {
      placement: 'container',
      environment: {
        versionOutput: async () => undefined,
        dockerEndpoint: async () => ({ uri: engine, cliEnvironment: { DOCKER_HOST: engine } }),
      },
    });
    if (!chosen.ok) throw new Error(chosen.message);
    const exit = await chosen.tool.run(['--version'], { env: {}, secrets: [] });
    expect(exit.code).not.toBe(0);
    // The docker program names the engine it could not reach (or is missing on this machine).
    if (!/ENOENT/.test(exit.stderr)) expect(exit.stderr).toContain(engine);
  });
});

describe.runIf(await dockerAnswers())('a dump or restore program in a container', () => {
  test("runs the mirror's image in the official one's place (MIGRATION_GATE_IMAGE_MIRROR), and names the official one", async () => {
    const mirror = parseImageMirror(`postgres:17=${CONTAINER_IMAGES.postgres17}`);
    const chosen = await chooseTool('postgres', '17.2', 'dump', {
      placement: 'container',
      environment: { ...localToolEnvironment, mirrorImage: (image) => mirroredImage(image, mirror) },
    });
    if (!chosen.ok) throw new Error(chosen.message);
    expect(chosen.tool.image).toBe('postgres:17');
    const exit = await chosen.tool.run(['--version'], { env: {}, secrets: [] });
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
  });
});

describe('backup files and differences in words', () => {
  test('names carry the database and the UTC time; the manifest sits beside the file', () => {
    const stem = backupStem('app/prod db', new Date('2026-11-22T01:02:03.456Z'));
    expect(stem).toBe('app_prod_db-20261122T010203456Z');
    expect(manifestPathOf(`/backups/${stem}.dump`)).toBe(`/backups/${stem}.manifest.json`);
  });

  test('row count differences name the table and both counts', () => {
    expect(
      describeCountDifferences(
        { 'public.posts': 4, 'public.tags': 2, 'public.a': 1 },
        { 'public.posts': 2, 'public.a': 1, 'public.x': 0 },
      ),
    ).toEqual([
      'rows: table public.posts has 4 rows in the target, 2 rows restored',
      'rows: table public.tags (2 rows) was not restored',
      'rows: table public.x is not in the target but was restored',
    ]);
  });
});

describe('the backup step apply injects', () => {
  test('gives undefined for a target it cannot back up, after warning why', async () => {
    const port = await closedLoopbackPort();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    const step = backupStepForApply({ dir: '/nonexistent/never-written', logger });
    const record = await step(parseConnectionUrl(`postgres://app:hunter2-secret@127.0.0.1:${port}/app`));
    expect(record).toBeUndefined();
    expect(warnings).toEqual([
      `no backup: cannot back up the target: nothing is listening at postgres://127.0.0.1:${port}/app: connection refused`,
    ]);
  });
});
