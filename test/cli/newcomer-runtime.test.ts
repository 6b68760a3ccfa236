import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './run-cli.ts';

/** How a process ended. */
interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(node: string, args: readonly string[]): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      node,
      [...args],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        }),
    );
  });
}

/** A Node older than 22 on this machine (the system's, beside the repository's pinned one), if any. */
function olderNode(): { path: string; version: string } | undefined {
  const candidates = execFileSync('sh', ['-c', 'which -a node nodejs 2>/dev/null || true'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((path) => path !== '');
  for (const path of candidates) {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().slice(1);
    if (Number(version.split('.')[0]) < 22) return { path, version };
  }
  return undefined;
}

const older = olderNode();

describe('the Node a newcomer has', () => {
  test.skipIf(older === undefined)(
    'on Node older than 22 the CLI says which it needs and which it found, exits 2, no stack trace',
    async () => {
      const { path, version } = older!;
      const exit = await run(path, [join(REPO_ROOT, 'bin/migration-gate.js'), 'check']);
      expect(exit).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: migration-gate needs Node.js 22 or newer; this is Node.js ${version} (${path})\n`,
      });
    },
  );
});

describe('what a run loads', () => {
  test('check --throwaway embedded never loads testcontainers (it loads PGlite)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'migration-gate-loads-'));
    try {
      // Records every module resolved, CommonJS and ESM alike, and prints the list on exit.
      const hook = join(folder, 'record-loads.mjs');
      await writeFile(
        hook,
        `import { registerHooks } from 'node:module';
const seen = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
    if (match) seen.add(match[1]);
    return resolved;
  },
});
process.on('exit', () => process.stderr.write('loaded: ' + [...seen].sort().join(' ') + '\\n'));
`,
      );
      const exit = await run(process.execPath, [
        '--import',
        hook,
        join(REPO_ROOT, 'src/cli/main.ts'),
        'check',
        '--migrations',
        'migrations-example',
        '--throwaway',
        'embedded',
      ]);
      expect(exit.code, exit.stderr).toBe(0);
      const loaded = /^loaded: (.*)$/m.exec(exit.stderr)?.[1]?.split(' ') ?? [];
      expect(loaded).toContain('@electric-sql/pglite');
      expect(loaded.filter((name) => name.includes('testcontainers'))).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
