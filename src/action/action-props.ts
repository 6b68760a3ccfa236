import type * as core from '@actions/core';
import type { GitHubClient } from './sticky-comment.ts';

/** What the action works with, injected: the toolkit, the environment, the GitHub client. */
export interface ActionProps {
  /** @actions/core. */
  readonly core: typeof core;
  readonly env: NodeJS.ProcessEnv;
  readonly createOctokit: (token: string) => GitHubClient;
}
