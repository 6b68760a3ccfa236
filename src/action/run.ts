// Imported first: the bundle's modules need CommonJS globals before they load.
import './commonjs-globals.ts';
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { cleanUpOnSignals } from '../core/parts/throwaway/interrupt-cleanup.ts';
import { runAction } from './run-action.ts';

/**
 * Runs the action as the runner starts it, with the real toolkit and environment. Exported as
 * GitHub's typescript-action template exports `run`, so GitHub's local runner
 * (`npx @github/local-action . src/action/run.ts .env`) calls it itself.
 */
export async function run(): Promise<void> {
  cleanUpOnSignals();
  await runAction({ core, env: process.env, createOctokit: (token) => getOctokit(token), cache });
}
