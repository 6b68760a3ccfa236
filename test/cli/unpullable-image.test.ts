import { expect, test } from 'vitest';
import { describeWithDocker } from '../support/docker.ts';
import { spawnCli } from './spawn-cli.ts';

/** An image no engine has and no registry serves: the same on an offline laptop and a connected one. */
const ABSENT = 'migration-gate-test/never-published:0';

describeWithDocker('an image Docker has not and cannot pull', () => {
  test('--throwaway auto falls back to embedded PGlite with one warning and proves the migrations', async () => {
    await using cli = spawnCli(['check', '--migrations', 'migrations-example', '--image', ABSENT]);
    const run = await cli.exited;
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^warning: Docker answers, but image ${ABSENT} is neither present nor pullable \\(.+\\): the proof runs on embedded PGlite instead; choose with --throwaway container\\|server\\|embedded`,
      ),
    );
    expect(run.stdout).toMatch(/^PASSED: .* on embedded PGlite/m);
  });

  test('--throwaway container keeps failing clearly, exit 2', async () => {
    await using cli = spawnCli([
      'check',
      '--migrations',
      'migrations-example',
      '--throwaway',
      'container',
      '--image',
      ABSENT,
    ]);
    const run = await cli.exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^error: could not start container ${ABSENT}: `, 'm'));
  });
});
