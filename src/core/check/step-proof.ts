import type { Migration } from '../migrations/migration.ts';
import { describeChange, diffSnapshots } from '../schema/diff.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import type { ProofContext } from './proof-context.ts';
import { emptyDirections, verdictWithoutDown } from './proof-context.ts';
import type { MigrationResult, ReplayResult, StepTimings } from './result.ts';

/**
 * The per-migration proof: for each migration under proof, snapshot S0; up; S1; down; the
 * schema must equal S0; up again; it must equal S1. Migrations not under proof are replayed
 * once. After a failure the database is brought back to the state after that migration's up,
 * so one run reports every broken migration.
 */
export async function proveStepByStep(
  context: ProofContext,
): Promise<{ migrations: MigrationResult[]; replayed: ReplayResult[]; final: SchemaSnapshot | undefined }> {
  const migrations: MigrationResult[] = [];
  const replayed: ReplayResult[] = [];
  let current: SchemaSnapshot | undefined;
  const all = context.options.migrations;
  for (const [index, migration] of all.entries()) {
    if (!context.options.isUnderProof(migration)) {
      replayed.push(await context.replay(migration));
      current = undefined;
      continue;
    }
    current ??= await context.snapshot();
    const outcome = await proveOne(context, migration, index, current);
    current = outcome.after;
    migrations.push(context.emit(outcome.result));
  }
  return {
    migrations: migrations.map((result) => withCreatorHint(context, result)),
    replayed,
    final: current,
  };
}

interface ProvenOne {
  readonly result: MigrationResult;
  /** The snapshot of the database after the step, or undefined when it must be taken anew. */
  readonly after: SchemaSnapshot | undefined;
}

async function proveOne(
  context: ProofContext,
  migration: Migration,
  index: number,
  before: SchemaSnapshot,
): Promise<ProvenOne> {
  const timings: StepTimings = {};
  const empty = emptyDirections(migration);
  const base = {
    name: migration.name,
    file: context.fileOf(migration),
    ...(empty.length > 0 ? { empty } : {}),
  };
  const appliedBefore = [...context.applied];

  const up = await context.run(migration, 'up');
  timings.up = up.ms;
  if (!up.ok) {
    context.deferCreatorHint(index, migration, up.error);
    if (!context.rolledBack(migration)) await context.restore(appliedBefore);
    return { result: context.failure(migration, 'error', 'up failed', up.error, timings), after: undefined };
  }
  const afterUp = await context.snapshotAfterStep(before);
  context.creators.record(migration.name, index, before, afterUp);
  const changes = diffSnapshots(before, afterUp).changes.map(describeChange);
  const described = { ...base, ...(changes.length > 0 ? { changes } : {}) };

  const withoutDown = verdictWithoutDown(migration);
  if (withoutDown !== undefined) return { result: { ...described, ...withoutDown, timings }, after: afterUp };

  const down = await context.run(migration, 'down');
  timings.down = down.ms;
  if (!down.ok) {
    context.deferCreatorHint(index, migration, down.error);
    if (!context.rolledBack(migration)) await context.restore([...appliedBefore, migration]);
    const result = context.failure(
      migration,
      'not-reversible',
      'down failed',
      down.error,
      timings,
      changesOf(described),
    );
    return { result, after: context.rolledBack(migration) ? afterUp : undefined };
  }
  const afterDown = await context.snapshotAfterStep(afterUp);
  const residueDiff = diffSnapshots(before, afterDown);
  if (residueDiff.changes.length > 0) {
    await context.restore([...appliedBefore, migration]);
    return {
      result: {
        ...described,
        status: 'not-reversible',
        ...(migration.source.downPath === undefined ? {} : { file: context.fileOf(migration, 'down') }),
        message: `down of ${migration.name} does not undo its up`,
        residue: context.describeResidue(migration, index, residueDiff),
        timings,
      },
      after: undefined,
    };
  }

  const upAgain = await context.run(migration, 'up');
  timings.upAgain = upAgain.ms;
  if (!upAgain.ok) {
    await context.restore([...appliedBefore, migration]);
    const result = context.failure(
      migration,
      'not-reversible',
      'up failed when run again after down',
      upAgain.error,
      timings,
      changesOf(described),
    );
    return { result, after: undefined };
  }
  const afterUpAgain = await context.snapshotAfterStep(afterDown);
  const againDiff = diffSnapshots(afterUp, afterUpAgain);
  if (againDiff.changes.length > 0) {
    return {
      result: {
        ...described,
        status: 'not-reversible',
        message: `up after down gives a different schema than the first up`,
        residue: againDiff.changes.map(describeChange),
        timings,
      },
      after: afterUpAgain,
    };
  }
  const notes = context.describeNotes(afterUp, afterUpAgain);
  return {
    result: { ...described, status: 'reversible', ...(notes.length > 0 ? { notes } : {}), timings },
    after: afterUpAgain,
  };
}

function changesOf(described: { changes?: readonly string[] }): Partial<MigrationResult> {
  return described.changes === undefined ? {} : { changes: described.changes };
}

function withCreatorHint(context: ProofContext, result: MigrationResult): MigrationResult {
  if (result.status === 'reversible' || result.status === 'declared-irreversible') return result;
  const migration = context.options.migrations.find((candidate) => candidate.name === result.name);
  const hint = migration === undefined ? undefined : context.resolveCreatorHint(migration);
  return hint === undefined ? result : { ...result, message: `${result.message ?? ''} (${hint})` };
}
