import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The suites proven on every engine users run, beside the conformance suite's own files: they
 * run in the main project on the primary engines (the machine's PostgreSQL 15 and MariaDB
 * 10.11, and PGlite), and again in the conformance project on PostgreSQL 17 and 18, MariaDB
 * 11.8 and MySQL 9.7, each a container started once for the run.
 */
const ON_EVERY_ENGINE = [
  'test/schema/postgres-snapshot.test.ts',
  'test/schema/postgres-scoped-snapshot.test.ts',
  'test/schema/postgres-change-tracker.test.ts',
  'test/schema/mysql-snapshot.test.ts',
  'test/schema/mysql-scoped-snapshot.test.ts',
  'test/schema/mysql-change-tracker.test.ts',
  'test/check/proof-clean.test.ts',
  'test/check/proof-failures.test.ts',
  'test/check/proof-residue.test.ts',
  'test/plan/risk-rules.test.ts',
  'test/plan/risk-rules-more.test.ts',
  'test/plan/statement-capture.test.ts',
  'test/plan/mysql-algorithm-rules.test.ts',
  'test/backup/backup.test.ts',
  'test/restore/restore.test.ts',
  'test/apply/apply.test.ts',
  'test/apply/kysely-compat.test.ts',
  'test/rollback/rollback.test.ts',
  'test/status/status.test.ts',
  'test/target/inspect-target.test.ts',
  'test/target/target-rows.test.ts',
  'test/rows/fingerprints.test.ts',
  'test/rows/round-trip.test.ts',
  'test/faults/apply-faults.test.ts',
  'test/faults/rollback-faults.test.ts',
  'test/faults/kysely-race.test.ts',
  'test/faults/half-applied.test.ts',
  'test/faults/killed-run.test.ts',
  'test/faults/backup-restore-signals.test.ts',
  'test/throwaway/scratch-sweep.test.ts',
  'test/cli/interrupt.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more workers only add contention on the shared database servers.
    maxWorkers: 2,
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/conformance/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts', ...ON_EVERY_ENGINE],
          globalSetup: ['test/conformance/start-engines.ts'],
          env: {
            MIGRATION_GATE_TEST_ENGINES:
              process.env['MIGRATION_GATE_CONFORMANCE_ENGINES'] ?? 'postgres17,postgres18,mariadb11,mysql',
          },
        },
      },
    ],
  },
});
