// Entry point of the GitHub Action (bundled into dist/index.js): everything else lives beside it.
import './commonjs-globals.ts';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { cleanUpOnSignals } from '../core/parts/throwaway/interrupt-cleanup.ts';
import { runAction } from './run-action.ts';

cleanUpOnSignals();
await runAction({ core, env: process.env, createOctokit: (token) => getOctokit(token) });
