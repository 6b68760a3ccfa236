import type { MigrationResult } from '../../model/migration-result.ts';
import { formatMs } from './markdown-overview.ts';

/** What a migration declares about itself, one phrase each, for any renderer to format. */
export interface MetaWords {
  readonly description?: string;
  readonly breaking: boolean;
  readonly tags?: readonly string[];
  /** `30.0 s estimated, up took 12 ms on the throwaway database`. */
  readonly duration?: string;
}

/** The meta of a result in words; undefined when it declares none. */
export function metaWords(result: MigrationResult): MetaWords | undefined {
  const meta = result.meta;
  if (meta === undefined) return undefined;
  const measured =
    result.timings.up === undefined
      ? ''
      : `, up took ${formatMs(result.timings.up)} on the throwaway database`;
  return {
    ...(meta.description === undefined ? {} : { description: meta.description }),
    breaking: meta.breaking === true,
    ...(meta.tags === undefined ? {} : { tags: meta.tags }),
    ...(meta.estimatedDurationMs === undefined
      ? {}
      : { duration: `${formatMs(meta.estimatedDurationMs)} estimated${measured}` }),
  };
}
