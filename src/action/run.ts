// Imported first: the bundle's modules need CommonJS globals before they load.
import './commonjs-globals.ts';
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { cleanUpOnSignals } from '../core/parts/throwaway/interrupt-cleanup.ts';
import { catchStrayFaults } from '../core/parts/migrations/late-faults.ts';
import { runAction } from './run-action.ts';

/**
 * Runs the action as the runner starts it, with the real toolkit and environment. Exported as
 * GitHub's typescript-action template exports `run`, so GitHub's local runner
 * (`npx @github/local-action . src/action/run.ts .env`) calls it itself.
 */
export async function run(): Promise<void> {
  cleanUpOnSignals();
  // What a migration raises once its step has ended fails the step, whenever it comes.
  catchStrayFaults((message) => core.setFailed(message));
  await runAction({ core, env: process.env, createOctokit: (token) => getOctokit(token), cache });
}
