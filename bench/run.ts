import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { PrCost } from './pr-cost.ts';
import { measurePrCost, syntheticHistory } from './pr-cost.ts';
import type { MergedCacheCost } from './merged-cache.ts';
import { measureMergedCache } from './merged-cache.ts';
import { measureProofCost } from './proof-cost.ts';
import { measureDataProofCost } from './data-proof-cost.ts';
import { profileCheck } from './proof-profile.ts';
import { benchApply } from './apply-cost.ts';
import { benchBackup } from './backup-cost.ts';
import { benchContainers } from './containers.ts';
import { writeSyntheticHistory } from './synthetic-history.ts';
import { writeRealisticHistory } from './realistic-history.ts';
import { startContainerEngines } from '../test/support/container-engines.ts';
import { ENGINE_TITLES } from '../test/support/engine-list.ts';
import type { DialectName } from '../src/core/model/dialect.ts';
import { dockerAnswers } from '../src/core/parts/throwaway/docker-ping.ts';

// `npm run bench`: the speed and memory figures the issues name, printed as tables.
// Servers: the PG 15 and MariaDB 10.11 every machine here runs (override like the tests do).
const POSTGRES_URL =
  process.env['MIGRATION_GATE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MARIADB_URL = process.env['MIGRATION_GATE_TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306';
const SIZES = (process.env['BENCH_SIZES'] ?? '10,100,300').split(',').map(Number);
const PR_SIZES = (process.env['BENCH_PR_SIZES'] ?? '300').split(',').map(Number);
const REPO = resolve(import.meta.dirname, '..');
/** Whether lib/ was built by this run (see buildInstalledCli). */
let built = false;
const run = promisify(execFile);
// BENCH_TABLES=proof,containers prints only those tables; all by default.
const TABLES = process.env['BENCH_TABLES']?.split(',');
const wanted = (table: string) => TABLES === undefined || TABLES.includes(table);

// The engines beside the machine's own servers: containers of the test suites' images (the
// stand-ins here), or servers named by MIGRATION_GATE_TEST_<ENGINE>_URL.
await using containerEngines =
  (wanted('proof') || wanted('data') || wanted('profile')) && (await dockerAnswers())
    ? await startContainerEngines()
    : undefined;
const PROOF_ENGINES: readonly (readonly [string, DialectName, string])[] = [
  ['PostgreSQL 15', 'postgres', POSTGRES_URL],
  ['MariaDB 10.11', 'mysql', MARIADB_URL],
  ...Object.entries(containerEngines?.urls ?? {}).map(
    ([engine, url]) =>
      [
        ENGINE_TITLES[engine as keyof typeof ENGINE_TITLES],
        engine.startsWith('postgres') ? 'postgres' : 'mysql',
        url,
      ] as const,
  ),
];

const work = await mkdtemp(join(tmpdir(), 'migration-gate-bench-'));
try {
  if (wanted('proof')) {
    console.log('\nProof cost: check wall time / (3 x Kysely migrateToLatest), goal <= 1.5\n');
    for (const failure of containerEngines?.failures ?? []) console.log(`(engine not measured: ${failure})`);
    console.log('| engine | N | migrateToLatest | check | ratio |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [engine, dialect, url] of PROOF_ENGINES) {
      for (const size of SIZES) {
        const folder = join(work, `${dialect}-${size}`);
        await writeSyntheticHistory(folder, size, dialect);
        const cost = await measureProofCost(folder, dialect, url);
        if (!cost.ok) throw new Error(`the synthetic history of ${size} failed the proof on ${engine}`);
        const ratio = cost.checkMs / (3 * cost.migrateMs);
        console.log(
          `| ${engine} | ${size} | ${ms(cost.migrateMs)} | ${ms(cost.checkMs)} | ${ratio.toFixed(2)} |`,
        );
      }
    }
  }

  if (wanted('profile')) {
    console.log(
      '\nWhere the proof time goes: check of the synthetic N = 100 history, every query timed at the driver\n' +
        '(round trip and server work) and sorted by what it is for; the rest is the process (JavaScript, event loop)\n',
    );
    console.log('| engine | part | queries | time | share |');
    console.log('|---|---|---:|---:|---:|');
    for (const [engine, dialect, url] of PROOF_ENGINES) {
      const folder = join(work, `profile-${dialect}`);
      await writeSyntheticHistory(folder, 100, dialect);
      const profile = await profileCheck(folder, dialect, url);
      const parts = [...profile.categories].sort((a, b) => b[1].ms - a[1].ms);
      const queried = parts.reduce((sum, [, part]) => sum + part.ms, 0);
      const share = (value: number) => `${Math.round((100 * value) / profile.wallMs)} %`;
      for (const [name, part] of parts)
        console.log(`| ${engine} | ${name} | ${part.queries} | ${ms(part.ms)} | ${share(part.ms)} |`);
      const rest = profile.wallMs - queried;
      console.log(`| ${engine} | the process (JavaScript, event loop) | | ${ms(rest)} | ${share(rest)} |`);
      console.log(`| ${engine} | **check wall time** | | **${ms(profile.wallMs)}** | |`);
    }
  }

  if (wanted('data')) {
    console.log(
      '\nData-aware proof: check with rows in the tables / check on empty tables (--seed-rows false), goal <= 1.3\n' +
        'synthetic history (its foreign keys clean their orphans first); median of 3 each, runs alternating\n',
    );
    console.log('| engine | N | schema-only | data-aware | ratio |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [engine, dialect, url] of PROOF_ENGINES) {
      for (const size of (process.env['BENCH_DATA_SIZES'] ?? '100,300').split(',').map(Number)) {
        const folder = join(work, `data-${dialect}-${size}`);
        await writeSyntheticHistory(folder, size, dialect);
        const cost = await measureDataProofCost(folder, dialect, url);
        const ratio = cost.dataAwareMs / cost.schemaOnlyMs;
        console.log(
          `| ${engine} | ${size} | ${ms(cost.schemaOnlyMs)} | ${ms(cost.dataAwareMs)} | ${ratio.toFixed(2)} |`,
        );
      }
    }
  }

  if (wanted('history')) {
    console.log(
      '\nLong real history: step proof of 350 SQL migrations (100 tables, indexes, foreign keys, functions,\n' +
        'triggers, views, enums; bench/realistic-history.ts) on the PG 15 server, goal < 60 s\n',
    );
    console.log('| migrations | migrateToLatest | check | ratio | reversible |');
    console.log('|---:|---:|---:|---:|---:|');
    const folder = join(work, 'realistic-350');
    await writeRealisticHistory(folder, 350);
    const cost = await measureProofCost(folder, 'postgres', POSTGRES_URL);
    const ratio = cost.checkMs / (3 * cost.migrateMs);
    console.log(
      `| 350 | ${ms(cost.migrateMs)} | ${ms(cost.checkMs)} | ${ratio.toFixed(2)} | ${cost.reversible} of 350 |`,
    );
  }

  if (wanted('embedded')) {
    console.log(
      '\nEmbedded: `check` of migrations-example with PGlite, a new process each time, goal < 5 s\n',
    );
    console.log('| run | wall time | peak RSS |');
    console.log('|---|---:|---:|');
    // The first run on a machine creates the cached pristine data directory; later runs load it.
    const cache = { MIGRATION_GATE_CACHE_DIR: join(work, 'pglite-cache') };
    for (const label of ['first (empty cache)', 'second', 'third']) {
      const measured = await measureCli(
        ['check', '--migrations', 'migrations-example', '--throwaway', 'embedded'],
        cache,
      );
      console.log(`| ${label} | ${ms(measured.ms)} | ${mb(measured.maxRssKb)} |`);
    }
  }

  if (wanted('pr')) {
    console.log(
      '\nPull request: `check --base` of 1 new migration on a merged history (PG 15 server), goal: ratio <= 1.3\n' +
        'ratio = check / (apply the history once with Kysely migrateToLatest + the new up, down, up); median of 3\n',
    );
    console.log('| history size | apply | new up / down / up | check | ratio |');
    console.log('|---:|---:|---:|---:|---:|');
    for (const size of PR_SIZES) {
      const runs: PrCost[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1)
        runs.push(await measurePrCost(join(work, `pr-${attempt}`), size, POSTGRES_URL));
      if (!runs.every((cost) => cost.ok))
        throw new Error(`the pull request on a history of ${size} failed the check`);
      const floor = (cost: PrCost) => cost.applyMs + cost.upMs + cost.downMs + cost.upAgainMs;
      const cost = median(runs, (one) => one.checkMs / floor(one));
      const steps = [cost.upMs, cost.downMs, cost.upAgainMs].map((value) => value.toFixed(1)).join(' / ');
      console.log(
        `| ${size} | ${ms(cost.applyMs)} | ${steps} ms | ${ms(cost.checkMs)} | ${(cost.checkMs / floor(cost)).toFixed(2)} |`,
      );
    }
  }

  if (wanted('merged-cache')) {
    console.log(
      '\nMerged history from the cache: `check --base` of 1 new migration, cold (no saved state: replay, then save)\n' +
        'and warm (restore, verified by snapshot); goal: warm <= 1.1 x floor, where floor = loading the saved state\n' +
        "+ the new up, down, up; median of 3 (by warm); CPU: this process's CPU time (embedded only: a server's is elsewhere)\n",
    );
    console.log(
      '| throwaway | history | merged | no cache | cold (replay, save) | warm (restore) | floor | warm / floor | CPU: no cache / warm / floor | warm / floor (CPU) |',
    );
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const cache = join(work, 'merged-cache');
    // Warms the pristine data directory, so no check below pays for initdb.
    await measureMergedCache(join(work, 'merged-cache-warm-up'), 1, cache, syntheticHistory('postgres'));
    const sizes = (process.env['BENCH_MERGED_SIZES'] ?? '100,300').split(',').map(Number);
    const realistic = { write: writeRealisticHistory, table: 'account_1', dialect: 'postgres' } as const;
    const embedded = { kind: 'embedded' } as const;
    const mariadb = { kind: 'server', url: MARIADB_URL } as const;
    for (const [throwaway, label, history, size, where] of [
      ...sizes.map(
        (size) => ['embedded', 'synthetic', syntheticHistory('postgres'), size, embedded] as const,
      ),
      ['embedded', 'realistic', realistic, 350, embedded] as const,
      ...sizes.map(
        (size) => ['MariaDB 10.11', 'synthetic', syntheticHistory('mysql'), size, mariadb] as const,
      ),
    ]) {
      const runs: MergedCacheCost[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1)
        runs.push(
          await measureMergedCache(join(work, `merged-cache-${attempt}`), size, cache, history, where),
        );
      if (!runs.every((cost) => cost.ok))
        throw new Error(
          `the ${label} merged history of ${size} on ${throwaway} was not replayed then restored`,
        );
      const cost = median(runs, (one) => one.warmMs);
      const cells = [cost.uncachedMs, cost.coldMs, cost.warmMs, cost.floorMs].map(ms).join(' | ');
      const { cpuMs } = cost;
      const cpu =
        where.kind === 'embedded'
          ? `${[cpuMs.uncached, cpuMs.warm, cpuMs.floor].map(ms).join(' / ')} | ${(cpuMs.warm / cpuMs.floor).toFixed(2)}`
          : 'n/a | n/a';
      console.log(
        `| ${throwaway} | ${label} | ${size} | ${cells} | ${(cost.warmMs / cost.floorMs).toFixed(2)} | ${cpu} |`,
      );
    }
  }

  if (wanted('memory')) {
    console.log(
      '\nMemory: peak RSS of `check` on the 300-migration history (PG 15 server), goal <= 300 MB\n',
    );
    console.log('| engine | N | wall time | peak RSS |');
    console.log('|---|---:|---:|---:|');
    for (const [engine, dialect, url] of [
      ['PostgreSQL 15', 'postgres', POSTGRES_URL],
      ['MariaDB 10.11', 'mysql', MARIADB_URL],
    ] as const) {
      const folder = join(work, `${dialect}-rss`);
      await writeSyntheticHistory(folder, 300, dialect);
      const measured = await measureCli([
        'check',
        '--migrations',
        folder,
        '--throwaway',
        'server',
        '--server-url',
        url,
      ]);
      console.log(`| ${engine} | 300 | ${ms(measured.ms)} | ${mb(measured.maxRssKb)} |`);
    }
  }

  if (wanted('apply')) await benchApply(POSTGRES_URL);
  if (wanted('backup')) await benchBackup(POSTGRES_URL, Number(process.env['BENCH_BACKUP_MB'] ?? 1024));
  if (wanted('containers')) await benchContainers({ postgres: POSTGRES_URL, mariadb: MARIADB_URL });
} finally {
  await rm(work, { recursive: true, force: true });
}

/**
 * Builds lib/ as `npm install` does (the prepare script), once: the CLI measured is the one
 * users run, compiled JavaScript, not the sources through Node's type stripping, whose
 * compiler alone adds tens of megabytes.
 */
async function buildInstalledCli(): Promise<void> {
  if (built) return;
  await run('npm', ['run', 'prepare'], { cwd: REPO });
  built = true;
}

/** Runs the installed CLI (lib/) in a new process and reads its peak RSS from the kernel's accounting. */
async function measureCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ms: number; maxRssKb: number }> {
  await buildInstalledCli();
  const script = `
    const started = performance.now();
    const { runCli } = await import(${JSON.stringify(join(REPO, 'lib/cli/run.js'))});
    const code = await runCli(${JSON.stringify(args)}, { stdout() {}, stderr() {}, env: {}, cwd: ${JSON.stringify(REPO)} });
    console.log(JSON.stringify({ code, ms: performance.now() - started, maxRssKb: process.resourceUsage().maxRSS }));`;
  const started = performance.now();
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO,
    env: { ...process.env, ...env },
  });
  const wall = performance.now() - started;
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { code: number; maxRssKb: number };
  if (report.code !== 0) throw new Error(`check ${args.join(' ')} exited ${report.code}`);
  return { ms: wall, maxRssKb: report.maxRssKb };
}

/** The run whose `key` is the median of the runs. */
function median<T>(runs: readonly T[], key: (run: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)]!;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function mb(kb: number): string {
  return `${Math.round(kb / 1024)} MB`;
}
