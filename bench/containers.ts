import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { DialectName } from '../src/core/model/dialect.ts';
import { silentLogger } from '../src/core/model/logger.ts';
import { createContainerThrowaway } from '../src/core/parts/throwaway/container-throwaway.ts';
import { dockerAnswers } from '../src/core/parts/throwaway/docker-ping.ts';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..');

/** The images measured: the test suites' (official by default, local stand-ins in CI here). */
const IMAGES = {
  postgres: process.env['MIGRATION_GATE_TEST_POSTGRES_IMAGE'] ?? 'postgres:16-alpine',
  mariadb: process.env['MIGRATION_GATE_TEST_MARIADB_IMAGE'] ?? 'mariadb:10.11',
} as const;

/**
 * Prints the container tables: start to first query per engine (median of 5) beside the
 * published anchors, and `check` of migrations-example through each provider.
 */
export async function benchContainers(urls: { postgres: string; mariadb: string }): Promise<void> {
  console.log('\nContainers: start to first query through the container provider, median of 5\n');
  if (!(await dockerAnswers())) {
    console.log('(skipped: no Docker engine answers; sudo bash test/docker/ensure-engine.sh starts one)');
    return;
  }
  console.log('| engine | image | median | min | max | published anchor |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const [engine, dialect, anchor] of [
    ['PostgreSQL', 'postgres', '2–5 s (Postgres under testcontainers)'],
    ['MariaDB', 'mysql', 'about 14 s (MySQL 8 under testcontainers)'],
  ] as const) {
    const image = IMAGES[dialect === 'postgres' ? 'postgres' : 'mariadb'];
    const times: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) times.push(await startToFirstQuery(dialect, image));
    times.sort((a, b) => a - b);
    console.log(
      `| ${engine} | ${image} | ${seconds(times[2]!)} | ${seconds(times[0]!)} | ${seconds(times[4]!)} | ${anchor} |`,
    );
  }

  console.log('\n`check --migrations migrations-example` in a new process, by provider (median of 3)\n');
  console.log('| dialect | container | server | embedded |');
  console.log('|---|---:|---:|---:|');
  for (const [dialect, image, url] of [
    ['postgres', IMAGES.postgres, urls.postgres],
    ['mysql', IMAGES.mariadb, urls.mariadb],
  ] as const) {
    const base = ['check', '--migrations', 'migrations-example', '--dialect', dialect];
    const container = await medianCheck([...base, '--throwaway', 'container', '--image', image]);
    const server = await medianCheck([...base, '--throwaway', 'server', '--server-url', url]);
    const embedded =
      dialect === 'postgres' ? seconds(await medianCheck([...base, '--throwaway', 'embedded'])) : 'n/a';
    console.log(`| ${dialect} | ${seconds(container)} | ${seconds(server)} | ${embedded} |`);
  }
}

/** From asking for a container to the first answered query on its scratch database. */
async function startToFirstQuery(dialect: DialectName, image: string): Promise<number> {
  const started = performance.now();
  await using throwaway = await createContainerThrowaway({ dialect, image, logger: silentLogger });
  await sql`select 1`.execute(throwaway.db);
  return performance.now() - started;
}

/** Median wall time of three runs of the CLI, each a new process as a user runs it. */
async function medianCheck(args: string[]): Promise<number> {
  const times: number[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = performance.now();
    await run(process.execPath, [resolve(REPO, 'src/cli/main.ts'), ...args], { cwd: REPO });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[1]!;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
