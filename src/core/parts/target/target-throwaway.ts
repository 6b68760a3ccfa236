import type { LogEvent } from 'kysely';
import type { DialectName } from '../../model/dialect.ts';
import type { Logger } from '../../model/logger.ts';
import type { ThrowawayEnvironment } from '../throwaway/open-throwaway.ts';
import { openThrowaway } from '../throwaway/open-throwaway.ts';
import type { ThrowawayDatabase, ThrowawayKind } from '../throwaway/throwaway.ts';

/** Where a target's migrations are replayed and proven; the shells' throwaway options. */
export interface TargetThrowawayOptions {
  readonly throwaway: ThrowawayKind;
  readonly serverUrl?: string;
  readonly image?: string;
  readonly logger: Logger;
  readonly environment?: ThrowawayEnvironment;
}

/** Opens a throwaway of the target's engine whose every query `log` sees (SQL capture). */
export function openTargetThrowaway(
  options: TargetThrowawayOptions,
  dialect: DialectName,
  log: (event: LogEvent) => void,
): Promise<ThrowawayDatabase> {
  return openThrowaway(
    options.throwaway,
    {
      dialect,
      logger: options.logger,
      log,
      ...(options.serverUrl === undefined ? {} : { serverUrl: options.serverUrl }),
      ...(options.image === undefined ? {} : { image: options.image }),
    },
    ...(options.environment === undefined ? [] : [options.environment]),
  );
}
