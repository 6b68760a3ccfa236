import type { CheckResult } from '../../src/core/model/check-result.ts';
import type { MigrationResult } from '../../src/core/model/migration-result.ts';
import type { Risk } from '../../src/core/model/risk.ts';
import { MIGRATION_STATUSES, PASSING_STATUSES } from '../../src/core/model/migration-result.ts';

/** A migration result as the engine returns it, with what the test cares about. */
export function migration(name: string, fields: Partial<MigrationResult> = {}): MigrationResult {
  return { name, status: 'reversible', file: `db/migrations/${name}.sql`, timings: {}, ...fields };
}

/** A risk as a rule reports it. */
export function risk(rule: string, fields: Partial<Risk> = {}): Risk {
  return {
    rule,
    severity: 'error',
    what: `${rule} happens`,
    why: 'it hurts',
    instead: 'do it gently',
    ...fields,
  };
}

/** A check result around `migrations`, `ok` as the engine would compute it. */
export function checkResult(
  migrations: readonly MigrationResult[],
  fields: Partial<CheckResult> = {},
): CheckResult {
  const counts = Object.fromEntries(MIGRATION_STATUSES.map((status) => [status, 0])) as Record<
    string,
    number
  >;
  for (const result of migrations) counts[result.status]! += 1;
  const history = fields.historyProblems ?? [];
  return {
    ok: migrations.every((result) => PASSING_STATUSES.has(result.status)) && history.length === 0,
    mode: 'step',
    dialect: 'postgres',
    database: 'embedded PGlite (PostgreSQL 17.4)',
    migrations,
    replayed: [],
    summary: { ...counts, proven: migrations.length, replayed: 0 } as CheckResult['summary'],
    durationMs: 120,
    ...fields,
  };
}
