import type { TargetStatus } from '../../model/target-status.ts';
import { parseConnectionUrl } from '../database/connection-url.ts';
import { redactSecrets } from '../database/redaction.ts';
import { UsageError, messageOf } from '../../model/errors.ts';
import type { Logger } from '../../model/logger.ts';
import type { Migration } from '../migrations/migration.ts';
import type { MigrationResult } from '../../model/migration-result.ts';
import { createSnapshotter } from '../schema/create-snapshotter.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';
import { DEFAULT_MIGRATION_TABLE, readAppliedMigrations } from './applied-migrations.ts';
import { withReadOnlySession } from './read-only-target.ts';
import { describeDrift, replayedSchema } from './target-drift.ts';
import { boundReads } from './bounded-reads.ts';
import { countRowDemands } from './count-row-demands.ts';
import { pendingDemands } from './pending-demands.ts';
import type { RowCountSettings } from './row-count-settings.ts';
import { DEFAULT_ROW_COUNT_SETTINGS } from './row-count-settings.ts';
import { readTableSizes } from './table-sizes.ts';

/** What {@link inspectTarget} needs. */
export interface InspectTargetOptions {
  /** The target's URL, credentials included: never printed. */
  readonly targetUrl: string;
  /** The folder's migrations, in order. */
  readonly migrations: readonly Migration[];
  /** Where the target's applied migrations are replayed; it is reset first. */
  readonly throwaway: ThrowawayDatabase;
  /** Kysely's migration table on the target. */
  readonly migrationTable?: string;
  /** Tables left out of both snapshots: Kysely's bookkeeping. */
  readonly excludeTables: readonly string[];
  readonly logger: Logger;
  readonly connectTimeoutMs?: number;
  /**
   * The proof's results: what each pending migration asks of existing rows and which tables
   * it changes, counted and measured on the target. Without them only pending and drift.
   */
  readonly results?: readonly MigrationResult[];
  /** Bounds on counting rows (timeout, sampling); the defaults otherwise. */
  readonly rowCounts?: Partial<RowCountSettings>;
}

/**
 * Reads the target (only reads: see withReadOnlySession) and tells which migrations it has
 * applied, which of the folder's are pending, which it applied that the folder lacks, and how
 * its schema drifted from its applied migrations replayed on the throwaway database. Never
 * throws: a target that cannot be read or compared is an `error` in the status, so the check
 * that asked still reports its proof.
 */
export async function inspectTarget(options: InspectTargetOptions): Promise<TargetStatus> {
  const status = await readStatus(options);
  if (status.error !== undefined) options.logger.warn(`target ${status.database}: ${status.error}`);
  else
    options.logger.info(
      `target ${status.database}: ${status.applied.length} applied, ${status.pending.length} pending, ${status.unknown.length} unknown, ${status.drift?.length ?? 0} drift` +
        (status.rowChecks === undefined
          ? ''
          : `, ${status.rowChecks.length} constraint(s) counted on its rows, ${status.rowChecks.filter((check) => check.fails).length} would fail`),
    );
  return status;
}

async function readStatus(options: InspectTargetOptions): Promise<TargetStatus> {
  let database = 'the target database';
  try {
    const target = parseConnectionUrl(options.targetUrl);
    database = target.display;
    if (target.dialect === 'mysql' && target.database === undefined) {
      return unread(database, `the target URL ${database} names no database`);
    }
    if (target.dialect !== options.throwaway.dialect) {
      return unread(
        database,
        `the target is a ${target.dialect} database but the migrations are checked as ${options.throwaway.dialect}`,
      );
    }
    const snapshotter = createSnapshotter(target.dialect);
    const results = options.results ?? [];
    const settings = { ...DEFAULT_ROW_COUNT_SETTINGS, ...options.rowCounts };
    const read = await withReadOnlySession(
      target,
      async (session) => {
        const applied = await readAppliedMigrations(
          session.db,
          session.dialect,
          options.migrationTable ?? DEFAULT_MIGRATION_TABLE,
        );
        const schema = await snapshotter.take(session.db, { excludeTables: options.excludeTables });
        const appliedSet = new Set(applied);
        const pending = options.migrations.map((m) => m.name).filter((name) => !appliedSet.has(name));
        const demands = pendingDemands(pending, results, schema);
        const server = await boundReads(session.db, session.dialect, settings.timeoutMs);
        const rowChecks = await countRowDemands(session.db, session.dialect, demands, settings, server);
        const tables = await readTableSizes(session.db, session.dialect, pending, results);
        return { description: session.description, applied, pending, schema, rowChecks, tables };
      },
      options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs },
    );
    database = read.description;
    const byName = new Map(options.migrations.map((migration) => [migration.name, migration]));
    const status = {
      database,
      applied: read.applied,
      pending: read.pending,
      unknown: read.applied.filter((name) => !byName.has(name)),
      ...(read.rowChecks.length > 0 ? { rowChecks: read.rowChecks } : {}),
      ...(read.tables.length > 0 ? { tables: read.tables } : {}),
    };
    try {
      const replayable = read.applied.flatMap((name) => byName.get(name) ?? []);
      const expected = await replayedSchema(
        options.throwaway,
        replayable,
        snapshotter,
        options.excludeTables,
      );
      return { ...status, drift: describeDrift(expected, read.schema) };
    } catch (error) {
      return { ...status, error: `cannot compare the target's schema: ${redactSecrets(messageOf(error))}` };
    }
  } catch (error) {
    // A UsageError (wrong password, unreachable host) already says what went wrong and where.
    const reason = redactSecrets(messageOf(error));
    return unread(database, error instanceof UsageError ? reason : `cannot read the target: ${reason}`);
  }
}

function unread(database: string, error: string): TargetStatus {
  return { database, applied: [], pending: [], unknown: [], error };
}
