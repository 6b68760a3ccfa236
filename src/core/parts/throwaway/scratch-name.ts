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

/**
 * Drops the scratch database's name where MySQL qualifies a table with it
 * (`'migration_gate_20261121093000_ab12cd34.invoices'`, or quoted, `` `migration_gate_...`.`users` ``):
 * it changes every run and means nothing to the reader.
 */
export function withoutScratchNames(message: string): string {
  return message.replace(new RegExp(`\`?${SCRATCH_PREFIX}\\d{14}_[0-9a-f]{8}\`?\\.`, 'g'), '');
}
