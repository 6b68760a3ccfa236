import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Node 24, the runtime action.yml asks for (`runs.using: node24`). */
export const NODE = join(REPO_ROOT, 'node_modules/.bin/node');

/** action.yml, parsed. */
export const ACTION = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

/** How one run of the action ended, and what it left behind. */
export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the step wrote to GITHUB_OUTPUT. */
  readonly outputs: Readonly<Record<string, string>>;
  /** What the step wrote to GITHUB_STEP_SUMMARY. */
  readonly summary: string;
  /** The report files the `report-json` and `plan-markdown` outputs name, read before cleanup. */
  readonly reports: { readonly json?: string; readonly markdown?: string };
}

/** One step of a workflow using the action. */
export interface ActionStep {
  /** The step's `with:`; action.yml's defaults fill in the rest, as the runner does. */
  readonly with: Readonly<Record<string, string>>;
  /** The checkout: the process's working directory and GITHUB_WORKSPACE. */
  readonly workspace: string;
  /** GITHUB_* variables and anything else the step sees. */
  readonly env?: Readonly<Record<string, string>>;
  /** The bundle to run; the repository's dist/index.js by default. */
  readonly bundle?: string;
  /** Apply action.yml's defaults (false: only `with`, as a bare `node dist/index.js`). */
  readonly defaults?: boolean;
}

/**
 * Runs the bundle as the runner does: `node dist/index.js` in the workspace, each input as an
 * INPUT_<NAME> variable (upper case, dashes kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as
 * fresh files, and nothing of this process's environment but PATH and HOME.
 */
export async function runAction(step: ActionStep): Promise<ActionRun> {
  const files = await mkdtemp(join(tmpdir(), 'migration-gate-step-'));
  try {
    const outputFile = join(files, 'output');
    const summaryFile = join(files, 'summary');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const inputs = { ...(step.defaults === false ? {} : defaultInputs()), ...step.with };
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      ...(process.env['MIGRATION_GATE_CACHE_DIR'] === undefined
        ? {}
        : { MIGRATION_GATE_CACHE_DIR: process.env['MIGRATION_GATE_CACHE_DIR'] }),
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: step.workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: files,
      ...Object.fromEntries(
        Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
      ),
      ...step.env,
    };
    const { code, stdout, stderr } = await spawnNode(
      step.bundle ?? join(REPO_ROOT, ACTION.runs.main),
      step.workspace,
      env,
    );
    const outputs = parseOutputs(await readFile(outputFile, 'utf8'));
    const report = async (path: string | undefined) =>
      path === undefined ? undefined : await readFile(path, 'utf8').catch(() => undefined);
    const [json, markdown] = await Promise.all([
      report(outputs['report-json']),
      report(outputs['plan-markdown']),
    ]);
    return {
      code,
      stdout,
      stderr,
      outputs,
      summary: await readFile(summaryFile, 'utf8'),
      reports: { ...(json === undefined ? {} : { json }), ...(markdown === undefined ? {} : { markdown }) },
    };
  } finally {
    await rm(files, { recursive: true, force: true });
  }
}

/** action.yml's defaults, with `${{ github.token }}` left for the step to give. */
function defaultInputs(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(ACTION.inputs)
      .filter(([, input]) => input.default !== undefined && !input.default.includes('${{'))
      .map(([name, input]) => [name, input.default!]),
  );
}

function spawnNode(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** GITHUB_OUTPUT's `name<<delimiter` ... `delimiter` blocks, as @actions/core writes them. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}
