import type * as core from '@actions/core';
import type { CacheService } from './state-cache-service.ts';
import type { GitHubClient } from './sticky-comment.ts';

/** What the action works with, injected: the toolkit, the environment, the GitHub client, the cache. */
export interface ActionProps {
  /** @actions/core. */
  readonly core: typeof core;
  readonly env: NodeJS.ProcessEnv;
  readonly createOctokit: (token: string) => GitHubClient;
  /** @actions/cache: keeps the merged history's states between runs. */
  readonly cache: CacheService;
}
