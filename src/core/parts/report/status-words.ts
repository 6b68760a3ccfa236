import type { MigrationStatus } from '../../model/migration-result.ts';

/** A status as a person reads it: `not reversible` for `not-reversible`. */
export const STATUS_WORDS: Readonly<Record<MigrationStatus, string>> = {
  reversible: 'reversible',
  'not-reversible': 'not reversible',
  'missing-down': 'missing down',
  'declared-irreversible': 'declared irreversible',
  error: 'error',
};
