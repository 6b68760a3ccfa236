import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FAIL_ON } from '../../src/core/model/fail-on.ts';
import type { FailOn } from '../../src/core/model/fail-on.ts';
import { runAction } from '../action/run-action.ts';
import { spawnCli } from '../cli/spawn-cli.ts';

/** One SQL migration, dbmate style. */
const sql = (up: string, down: string) => `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`;

const createTrips = sql(
  'create table trips (id int primary key, city text, rider text);',
  'drop table trips;',
);

/** The four kinds of project a gate must tell apart, each a migrations folder. */
const PROJECTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  clean: { '001_create_trips.sql': createTrips },
  'warnings only': {
    '001_create_trips.sql': createTrips,
    '002_rename_rider.sql': sql(
      'alter table trips rename column rider to passenger;',
      'alter table trips rename column passenger to rider;',
    ),
  },
  'error risks': {
    '001_create_trips.sql': createTrips,
    '002_index_city.sql': sql('create index trips_city_idx on trips (city);', 'drop index trips_city_idx;'),
  },
  'failing the proof': {
    '001_create_trips.sql': sql('create table trips (id int primary key);', 'select 1;'),
  },
};

/** Whether each project fails under each fail-on: what both shells must say. */
const FAILS: Readonly<Record<string, Readonly<Record<FailOn, boolean>>>> = {
  clean: { error: false, warning: false, never: false },
  'warnings only': { error: false, warning: true, never: false },
  'error risks': { error: true, warning: true, never: false },
  'failing the proof': { error: true, warning: true, never: false },
};

let root: string;
const folders = new Map<string, string>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'migration-gate-parity-'));
  for (const [name, files] of Object.entries(PROJECTS)) {
    const folder = join(root, name.replaceAll(' ', '-'));
    await mkdir(join(folder, 'migrations'), { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(join(folder, 'migrations', file), text);
    folders.set(name, folder);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// The action runs as the runner runs it: the committed bundle, dist/index.js (CI's check-dist
// holds it to the sources), with INPUT_* variables and GITHUB_OUTPUT.
describe('one verdict: the CLI and the bundled action judge the same folder the same way', () => {
  const cases = Object.keys(PROJECTS).flatMap((project) => FAIL_ON.map((failOn) => ({ project, failOn })));

  test.each(cases)('$project, fail-on $failOn', async ({ project, failOn }) => {
    const workspace = folders.get(project)!;
    const [cli, action] = await Promise.all([
      spawnCli(['check', '--migrations', 'migrations', '--throwaway', 'embedded', '--fail-on', failOn], {
        cwd: workspace,
      }).exited,
      runAction({
        workspace,
        with: { command: 'check', migrations: 'migrations', throwaway: 'embedded', 'fail-on': failOn },
      }),
    ]);
    const fails = FAILS[project]![failOn];

    expect(cli.code, cli.stderr).toBe(fails ? 1 : 0);
    expect(action.code, action.stdout).toBe(cli.code);
    // The summary line both print says what the exit code says.
    const summary = new RegExp(`^${fails ? 'FAILED' : 'PASSED'}: `, 'm');
    expect(cli.stdout).toMatch(summary);
    expect(action.stdout).toMatch(summary);
    // The same sentence says why: the action's step failure, the CLI's last error line.
    const actionFailure = /^::error::(.*)$/m.exec(action.stdout)?.[1];
    const cliFailure = /^error: (.*)$/m.exec(cli.stderr)?.[1];
    expect(cliFailure).toBe(actionFailure);
    expect(cliFailure === undefined).toBe(!fails);
    expect(action.outputs['verdict']?.startsWith('❌')).toBe(fails);
  });
});
