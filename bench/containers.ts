import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { DialectName } from '../src/core/model/dialect.ts';
import { silentLogger } from '../src/core/model/logger.ts';
import { createContainerThrowaway } from '../src/core/parts/throwaway/container-throwaway.ts';
import { dockerAnswers } from '../src/core/parts/throwaway/docker-ping.ts';
import { CONTAINER_IMAGES } from '../test/support/docker.ts';

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '..');

/** The images measured: the test suites' (official by default, local stand-ins in CI here). */
const IMAGES = CONTAINER_IMAGES;

/** Each image the suites start, with its engine and the published start-up time it compares with. */
const STARTS = [
  ['PostgreSQL 15', 'postgres', IMAGES.postgres, '2–5 s (Postgres under testcontainers)'],
  ['PostgreSQL 17', 'postgres', IMAGES.postgres17, '2–5 s (Postgres under testcontainers)'],
  ['PostgreSQL 18', 'postgres', IMAGES.postgres18, '2–5 s (Postgres under testcontainers)'],
  ['MariaDB 10.11', 'mysql', IMAGES.mariadb, 'about 14 s (MySQL 8 under testcontainers)'],
  ['MariaDB 11.8', 'mysql', IMAGES.mariadb11, 'about 14 s (MySQL 8 under testcontainers)'],
  ['MySQL 9.7', 'mysql', IMAGES.mysql, 'about 14 s (MySQL 8 under testcontainers)'],
] as const;

/**
 * Prints the container tables: start to first query per engine (median of 5) beside the
 * published anchors, and `check` of migrations-example through each provider.
 */
export async function benchContainers(urls: { postgres: string; mariadb: string }): Promise<void> {
  console.log('\nContainers: start to first query through the container provider, median of 3\n');
  if (!(await dockerAnswers())) {
    console.log('(skipped: no Docker engine answers; sudo bash test/docker/ensure-engine.sh starts one)');
    return;
  }
  console.log('| engine | image | median | min | max | published anchor |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const [engine, dialect, image, anchor] of STARTS) {
    const times: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) times.push(await startToFirstQuery(dialect, image));
    times.sort((a, b) => a - b);
    console.log(
      `| ${engine} | ${image} | ${seconds(times[1]!)} | ${seconds(times[0]!)} | ${seconds(times[2]!)} | ${anchor} |`,
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
