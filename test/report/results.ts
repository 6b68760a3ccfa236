import type { CheckResult } from '../../src/core/model/check-result.ts';
import type { MigrationResult, MigrationStatus } from '../../src/core/model/migration-result.ts';
import { MIGRATION_STATUSES } from '../../src/core/model/migration-result.ts';

/** A migration result built by hand, reversible unless told otherwise. */
export function migration(name: string, fields: Partial<MigrationResult> = {}): MigrationResult {
  return {
    name,
    status: 'reversible',
    file: `migrations/${name}.ts`,
    timings: { up: 10, down: 5, upAgain: 10 },
    ...fields,
  };
}

/** A check result built by hand around `migrations`, with `ok` and the summary worked out. */
export function checkResult(
  migrations: readonly MigrationResult[],
  fields: Partial<CheckResult> = {},
): CheckResult {
  const counts = Object.fromEntries(
    MIGRATION_STATUSES.map((status) => [status, migrations.filter((m) => m.status === status).length]),
  ) as Record<MigrationStatus, number>;
  const replayed = fields.replayed ?? [];
  return {
    ok: migrations.every((m) => m.status === 'reversible' || m.status === 'declared-irreversible'),
    mode: 'step',
    dialect: 'postgres',
    database: 'embedded PGlite (PostgreSQL 18.6)',
    migrations,
    replayed,
    summary: { ...counts, proven: migrations.length, replayed: replayed.length },
    durationMs: 1234,
    ...fields,
  };
}
