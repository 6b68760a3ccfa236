import { randomBytes } from 'node:crypto';

/** The prefix of every scratch database, so leftovers of a killed run are recognisable. */
export const SCRATCH_PREFIX = 'migration_gate_';

/** A unique, valid, lower-case database name: prefix, UTC time, random suffix. */
export function scratchDatabaseName(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 14);
  return `${SCRATCH_PREFIX}${stamp}_${randomBytes(4).toString('hex')}`;
}
