import { hostname } from 'node:os';
import type { Logger } from '../../model/logger.ts';
import { messageOf } from '../../model/errors.ts';
import type { ScratchMarks } from './scratch-marks.ts';
import { processIsAlive, staleReason } from './scratch-staleness.ts';
import type { LocalMachine, StaleBounds } from './scratch-staleness.ts';

/** What a sweep needs: the server's marks, a way to drop, and where to say what it did. */
export interface SweepOptions {
  readonly marks: ScratchMarks;
  /** Drops one database; must fail rather than end sessions that connected meanwhile. */
  readonly drop: (name: string) => Promise<void>;
  readonly logger: Logger;
  /** The server, without credentials, for the log. */
  readonly server: string;
  readonly here?: LocalMachine;
  readonly bounds?: StaleBounds;
}

const THIS_MACHINE: LocalMachine = { host: hostname(), isAlive: processIsAlive };

/**
 * Drops the scratch databases that runs killed with no chance to clean up (SIGKILL, a lost
 * runner) left on the server: only those marked as ours whose owner is gone, with no session,
 * older than the bounds. Says each one it swept; a database it could not drop is left for a
 * later sweep, and a sweep that fails never fails the run.
 */
export async function sweepStaleScratch(options: SweepOptions): Promise<string[]> {
  const { logger } = options;
  let sightings;
  try {
    sightings = await options.marks.sightings();
  } catch (error) {
    logger.warn(`could not look for stale scratch databases on ${options.server}: ${messageOf(error)}`);
    return [];
  }
  const swept: string[] = [];
  for (const sighting of sightings) {
    const reason = staleReason(sighting, options.here ?? THIS_MACHINE, options.bounds);
    if (reason === undefined) continue;
    try {
      await options.drop(sighting.name);
      await options.marks.forget(sighting.name);
      swept.push(sighting.name);
      logger.info(`swept stale scratch database ${sighting.name} on ${options.server} (${reason})`);
    } catch (error) {
      logger.debug(`left scratch database ${sighting.name}: ${messageOf(error)}`);
    }
  }
  return swept;
}
