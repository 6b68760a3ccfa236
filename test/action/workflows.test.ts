import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { CONTAINER_ENGINES } from '../support/engine-list.ts';
import { ACTION, REPO_ROOT } from './run-action.ts';

interface Step {
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}
interface Workflow {
  readonly on: unknown;
  readonly permissions?: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, { permissions?: Record<string, string>; steps: Step[] }>>;
}

/** The workflows users copy. */
const EXAMPLES = [
  '.github/examples/pull-request.yml',
  '.github/examples/deploy.yml',
  '.github/examples/rollback.yml',
  '.github/examples/deploy-shards.yml',
  '.github/examples/pull-request-comment.yml',
];

/** What the deploy and rollback examples add to a workflow. */
interface DeployWorkflow {
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
}
interface DeployJob {
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
}

function workflow(path: string): Workflow {
  return parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Workflow;
}

/** The steps that run this action, wherever it is referenced from. */
function actionSteps(file: Workflow): Step[] {
  return Object.values(file.jobs).flatMap((job) =>
    job.steps.filter((step) => step.uses === './' || step.uses?.includes('/migration-gate@') === true),
  );
}

describe('action.yml and the workflows that use it', () => {
  test('action.yml declares the inputs and outputs the action reads and writes', () => {
    expect(Object.keys(ACTION.inputs).sort()).toEqual(
      [
        'command',
        'migrations',
        'allow-empty',
        'dialect',
        'mode',
        'seed-rows',
        'seed',
        'merged-cache',
        'throwaway',
        'image',
        'server-url',
        'target-url',
        'targets',
        'parallel',
        'allow-drift',
        'dry-run',
        'fail-on-pending',
        'require-reversible',
        'transaction',
        'backup',
        'backup-dir',
        'backup-verify',
        'backup-artifact',
        'backup-retention-days',
        'lock-timeout',
        'lock-wait',
        'statement-timeout',
        'to',
        'steps',
        'restore',
        'migration-table',
        'github-token',
        'comment',
        'fail-on',
        'working-directory',
      ].sort(),
    );
    expect(ACTION.inputs['github-token']?.default).toBe('${{ github.token }}');
    expect(Object.keys(ACTION.outputs).sort()).toEqual(
      [
        'reversible',
        'failed-count',
        'new-migrations',
        'data-findings',
        'verdict',
        'proven-on',
        'report-json',
        'plan-markdown',
        'target-row-checks',
        'outcome',
        'applied',
        'rolled-back',
        'pending-count',
        'current',
        'backup-path',
        'duration',
        'results',
      ].sort(),
    );
  });

  test('the example users copy: a pull request, full history, permission to comment', () => {
    const example = workflow('.github/examples/pull-request.yml');
    expect(example.on).toBe('pull_request');
    const [job] = Object.values(example.jobs);
    expect(job?.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(job?.steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(actionSteps(example).map((step) => step.with)).toEqual([
      { command: 'check', migrations: 'db/migrations', dialect: 'postgres', image: 'postgres:16-alpine' },
    ]);
  });

  test('the companion of pull requests from forks: on workflow_run of the check, no checkout, a token that may comment', () => {
    const example = workflow('.github/examples/pull-request-comment.yml');
    const check = workflow('.github/examples/pull-request.yml') as Workflow & { name: string };
    expect(example.on).toEqual({ workflow_run: { workflows: [check.name], types: ['completed'] } });
    const [job] = Object.values(example.jobs);
    expect(job?.permissions).toEqual({ actions: 'read', 'pull-requests': 'write' });
    expect(job?.steps.some((step) => step.uses?.startsWith('actions/checkout') === true)).toBe(false);
    expect(actionSteps(example).map((step) => step.with)).toEqual([{ command: 'comment' }]);
  });

  test("the project's CI lints, type-checks, tests, checks dist/ and runs the action on itself", () => {
    const ci = workflow('.github/workflows/ci.yml');
    expect(Object.keys(ci.jobs).sort()).toEqual([
      'check-dist',
      'conformance',
      'self-deploy',
      'self-test',
      'test',
    ]);
    const runs = Object.values(ci.jobs).flatMap((job) =>
      job.steps.map((step) => (step as { run?: string }).run),
    );
    expect(runs).toEqual(
      expect.arrayContaining([
        'npm run lint',
        'npm run typecheck',
        'npm test -- --project main',
        'npm test -- --project conformance',
        'npm run check-dist',
      ]),
    );
    expect(actionSteps(ci).map((step) => step.with?.['command'])).toEqual([
      'check',
      'apply',
      'status',
      'rollback',
    ]);
  });

  test("the project's CI runs the conformance project on each engine's official image, one engine per job", () => {
    interface ConformanceJob {
      readonly strategy: {
        readonly matrix: { readonly include: readonly { engine: string; image: string }[] };
      };
      readonly services: { readonly db: { readonly image: string } };
      readonly env: Readonly<Record<string, string>>;
    }
    const job = workflow('.github/workflows/ci.yml').jobs['conformance'] as unknown as ConformanceJob;
    expect(job.strategy.matrix.include.map(({ engine, image }) => `${engine} ${image}`)).toEqual([
      'postgres17 postgres:17',
      'postgres18 postgres:18',
      'mariadb11 mariadb:11.8',
      'mysql mysql:9.7',
      'mysql mysql:8.4',
    ]);
    // Every matrix engine is one the suite knows, so CI=true fails it when it does not answer.
    for (const { engine } of job.strategy.matrix.include) expect(CONTAINER_ENGINES).toContain(engine);
    expect(job.services.db.image).toBe('${{ matrix.image }}');
    expect(job.env).toMatchObject({ CI: 'true', MIGRATION_GATE_CONFORMANCE_ENGINES: '${{ matrix.engine }}' });
  });

  test('the deploy example: apply on push to main, behind an environment, one at a time', () => {
    const example = workflow('.github/examples/deploy.yml') as Workflow & DeployWorkflow;
    expect(example.on).toEqual({ push: { branches: ['main'] } });
    expect(example.concurrency).toEqual({ group: 'migrations-production', 'cancel-in-progress': false });
    const [job] = Object.values(example.jobs) as DeployJob[];
    expect(job?.environment).toBe('production');
    expect(actionSteps(example)[0]?.with).toMatchObject({
      command: 'apply',
      'target-url': '${{ secrets.DATABASE_URL }}',
    });
  });

  test('the rollback example: workflow_dispatch with to, steps or restore, in the deploy group', () => {
    const example = workflow('.github/examples/rollback.yml') as Workflow & DeployWorkflow;
    const dispatch = (example.on as { workflow_dispatch: { inputs: Record<string, unknown> } })
      .workflow_dispatch;
    expect(Object.keys(dispatch.inputs).sort()).toEqual(['restore', 'steps', 'to']);
    expect(example.concurrency?.group).toBe('migrations-production');
    const [job] = Object.values(example.jobs) as DeployJob[];
    expect(job?.environment).toBe('production');
    expect(job?.permissions).toEqual({ contents: 'read', actions: 'read' });
    expect(actionSteps(example)[0]?.with).toMatchObject({
      command: 'rollback',
      to: '${{ inputs.to }}',
      steps: '${{ inputs.steps }}',
      restore: '${{ inputs.restore }}',
    });
  });

  test('the shards example: many targets from one secret, with bounded concurrency', () => {
    const example = workflow('.github/examples/deploy-shards.yml');
    expect(actionSteps(example)[0]?.with).toMatchObject({
      command: 'apply',
      targets: '${{ secrets.SHARD_URLS }}',
    });
  });

  test('every input a workflow gives the action is one action.yml declares', () => {
    for (const path of [...EXAMPLES, '.github/workflows/ci.yml']) {
      for (const step of actionSteps(workflow(path))) {
        for (const name of Object.keys(step.with ?? {}))
          expect(ACTION.inputs, `${path}: ${name}`).toHaveProperty([name]);
      }
    }
  });
});
