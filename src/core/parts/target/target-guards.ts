import type { Kysely } from 'kysely';
import type { Migration } from '../migrations/migration.ts';
import type { StatementRecorder } from '../plan/statement-recorder.ts';
import { createSnapshotter } from '../schema/create-snapshotter.ts';
import { describeDrift } from './target-drift.ts';
import type { ThrowawayDatabase } from '../throwaway/throwaway.ts';
import type { ChecksumVerdict } from './checksum-guard.ts';
import { checkChecksums } from './checksum-guard.ts';
import type { ChecksumRow } from './checksum-table.ts';
import { emittedSqlChecksum, emitsSql } from './emitted-sql.ts';
import { replayCapturing } from './throwaway-replay.ts';

/** What the guards look at. */
export interface GuardInput {
  /** A connection to the target (only read here). */
  readonly db: Kysely<any>;
  /** The target's applied migrations, in Kysely's order. */
  readonly applied: readonly string[];
  readonly migrations: readonly Migration[];
  readonly stored: ReadonlyMap<string, ChecksumRow>;
  /** Where the applied migrations are replayed; without one, only sources are compared and drift is not. */
  readonly throwaway: ThrowawayDatabase | undefined;
  /** Fed by the throwaway's log hook. */
  readonly recorder: StatementRecorder;
  /** Bookkeeping tables left out of both snapshots. */
  readonly excludeTables: readonly string[];
  readonly checkDrift: boolean;
}

/** The guards' findings; the throwaway is left holding the applied migrations. */
export interface GuardReport {
  readonly checksums: ChecksumVerdict;
  /** The SQL checksum of each applied TypeScript migration's up, as it emits today. */
  readonly emitted: ReadonlyMap<string, string>;
  /** How the target differs from its migrations replayed, in words; absent when not compared. */
  readonly drift?: readonly string[];
}

/**
 * Replays the target's applied migrations on the throwaway (capturing the SQL TypeScript ones
 * emit), then compares every applied migration with its checksum row and the target's schema
 * with the replayed one. Only reads the target.
 */
export async function guardTarget(input: GuardInput): Promise<GuardReport> {
  const byName = new Map(input.migrations.map((migration) => [migration.name, migration]));
  const replayable = input.applied.flatMap((name) => byName.get(name) ?? []);
  const emitted = new Map<string, string>();
  if (input.throwaway === undefined) {
    return { checksums: checkChecksums(input.applied, input.migrations, input.stored, emitted), emitted };
  }
  await input.throwaway.reset();
  const captured = await replayCapturing(input.throwaway, replayable, input.recorder);
  for (const migration of replayable) {
    if (emitsSql(migration))
      emitted.set(migration.name, emittedSqlChecksum(captured.get(migration.name) ?? []));
  }
  const checksums = checkChecksums(input.applied, input.migrations, input.stored, emitted);
  if (!input.checkDrift) return { checksums, emitted };
  const snapshotter = createSnapshotter(input.throwaway.dialect);
  const expected = await snapshotter.take(input.throwaway.db, { excludeTables: input.excludeTables });
  const actual = await snapshotter.take(input.db, { excludeTables: input.excludeTables });
  return { checksums, emitted, drift: describeDrift(expected, actual) };
}
