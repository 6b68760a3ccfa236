import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
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
        'dialect',
        'mode',
        'throwaway',
        'image',
        'server-url',
        'target-url',
        'migration-table',
        'github-token',
        'comment',
        'fail-on',
        'working-directory',
      ].sort(),
    );
    expect(ACTION.inputs['github-token']?.default).toBe('${{ github.token }}');
    expect(Object.keys(ACTION.outputs).sort()).toEqual(
      ['reversible', 'failed-count', 'new-migrations', 'verdict', 'report-json', 'plan-markdown'].sort(),
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

  test("the project's CI lints, type-checks, tests, checks dist/ and runs the action on itself", () => {
    const ci = workflow('.github/workflows/ci.yml');
    expect(Object.keys(ci.jobs).sort()).toEqual(['check-dist', 'self-test', 'test']);
    const runs = Object.values(ci.jobs).flatMap((job) =>
      job.steps.map((step) => (step as { run?: string }).run),
    );
    expect(runs).toEqual(
      expect.arrayContaining(['npm run lint', 'npm run typecheck', 'npm test', 'npm run check-dist']),
    );
    expect(actionSteps(ci).map((step) => step.uses)).toEqual(['./']);
  });

  test('every input a workflow gives the action is one action.yml declares', () => {
    for (const path of ['.github/examples/pull-request.yml', '.github/workflows/ci.yml']) {
      for (const step of actionSteps(workflow(path))) {
        for (const name of Object.keys(step.with ?? {}))
          expect(ACTION.inputs, `${path}: ${name}`).toHaveProperty([name]);
      }
    }
  });
});
