import type { Migration } from '../migrations/migration.ts';
import type { SchemaChange } from '../schema/diff.ts';
import { describeChange, diffSnapshots } from '../schema/diff.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import { bringMerged } from './merged-cache.ts';
import type { ProofContext } from './proof-context.ts';
import { emptyDirections, verdictWithoutDown } from './proof-verdicts.ts';
import { describeResidue } from './residue-words.ts';
import type { MigrationResult, ReplayResult, StepTimings } from '../../model/migration-result.ts';

/**
 * The sequence proof, for projects whose downs are only meant to run as a whole: all ups,
 * all downs in reverse, all ups again, comparing snapshots at the ends. A migration without
 * down (or declared irreversible) cannot be crossed by the downs, so it splits the history
 * into segments, each proven as a sequence.
 */
export async function proveAsSequence(
  context: ProofContext,
): Promise<{ migrations: MigrationResult[]; replayed: ReplayResult[] }> {
  const results = new Map<Migration, MigrationResult>();
  const replayed: ReplayResult[] = [];
  let segment: { migration: Migration; index: number }[] = [];
  const flush = async () => {
    if (segment.length > 0)
      for (const result of await proveSegment(context, segment)) results.set(result[0], result[1]);
    segment = [];
  };
  const merged: Migration[] = [];
  const replayPending = async () => {
    if (merged.length > 0) replayed.push(...(await bringMerged(context, merged.splice(0))).replayed);
  };
  for (const [index, migration] of context.options.migrations.entries()) {
    if (!context.options.isUnderProof(migration)) {
      await flush();
      merged.push(migration);
      continue;
    }
    await replayPending();
    const withoutDown = verdictWithoutDown(migration);
    if (withoutDown !== undefined) {
      await flush();
      results.set(migration, context.emit(await applyBlocker(context, migration, withoutDown)));
      continue;
    }
    segment.push({ migration, index });
  }
  await replayPending();
  await flush();
  const migrations = context.options.migrations.flatMap((migration) => results.get(migration) ?? []);
  return { migrations, replayed };
}

async function applyBlocker(
  context: ProofContext,
  migration: Migration,
  verdict: Pick<MigrationResult, 'status' | 'reason' | 'message'>,
): Promise<MigrationResult> {
  const appliedBefore = [...context.applied];
  const plan = context.plan(migration);
  const before = await context.snapshot();
  const up = await context.run(migration, 'up', plan.firstUp);
  const timings: StepTimings = { up: up.ms };
  if (!up.ok) {
    if (!context.rolledBack(migration, up)) await context.restore(appliedBefore);
    return { ...context.failure(migration, 'error', 'up failed', up.error, timings), ...plan.findings() };
  }
  const afterUp = await context.snapshotAfterStep(before);
  return {
    name: migration.name,
    file: context.fileOf(migration),
    timings,
    ...verdict,
    ...plan.findings({ before, afterUp }),
  };
}

async function proveSegment(
  context: ProofContext,
  segment: readonly { migration: Migration; index: number }[],
): Promise<[Migration, MigrationResult][]> {
  const verdicts = new Map<Migration, MigrationResult>();
  const timings = new Map<Migration, StepTimings>(segment.map(({ migration }) => [migration, {}]));
  const base = (migration: Migration) => {
    const empty = emptyDirections(migration);
    return {
      name: migration.name,
      file: context.fileOf(migration),
      timings: timings.get(migration)!,
      ...(empty.length > 0 ? { empty } : {}),
    };
  };
  const appliedBefore = [...context.applied];
  const start = await context.snapshot();
  const plans = new Map(segment.map(({ migration }) => [migration, context.plan(migration)]));
  const upSnapshots = new Map<Migration, { before: SchemaSnapshot; afterUp: SchemaSnapshot }>();

  // All ups, snapshotting after each to learn which migration creates what.
  const upped: { migration: Migration; index: number }[] = [];
  let previous = start;
  for (const entry of segment) {
    const up = await context.run(entry.migration, 'up', plans.get(entry.migration)!.firstUp);
    timings.get(entry.migration)!.up = up.ms;
    if (!up.ok) {
      if (!context.rolledBack(entry.migration, up))
        await context.restore([...appliedBefore, ...upped.map((u) => u.migration)]);
      verdicts.set(
        entry.migration,
        context.failure(entry.migration, 'error', 'up failed', up.error, timings.get(entry.migration)!),
      );
      continue;
    }
    const after = await context.snapshotAfterStep(previous);
    context.creators.record(entry.migration.name, entry.index, previous, after);
    upSnapshots.set(entry.migration, { before: previous, afterUp: after });
    previous = after;
    upped.push(entry);
  }
  const end = previous;
  const finish = (verdict: (entry: { migration: Migration; index: number }) => MigrationResult) => {
    for (const entry of upped)
      if (!verdicts.has(entry.migration)) verdicts.set(entry.migration, verdict(entry));
    return segment.map(({ migration }) => {
      const findings = plans.get(migration)!.findings(upSnapshots.get(migration));
      return [migration, context.emit({ ...verdicts.get(migration)!, ...findings })] as [
        Migration,
        MigrationResult,
      ];
    });
  };

  const afterUps = [...appliedBefore, ...upped.map((u) => u.migration)];
  /** A step of the second or third pass failed: the segment stops there, back at the end of the ups. */
  const stopAt = async (entry: { migration: Migration }, what: string, error: unknown) => {
    verdicts.set(
      entry.migration,
      context.failure(entry.migration, 'not-reversible', what, error, timings.get(entry.migration)!),
    );
    await context.restore(afterUps);
    return finish(() => notProven(entry.migration));
  };

  // All downs in reverse.
  for (const entry of [...upped].reverse()) {
    const down = await context.run(entry.migration, 'down', plans.get(entry.migration)!.firstDown);
    timings.get(entry.migration)!.down = down.ms;
    if (!down.ok) return stopAt(entry, 'down failed', down.error);
  }
  const back = await context.snapshot();
  const residue = diffSnapshots(start, back).changes;
  if (residue.length > 0) {
    await context.restore(afterUps);
    return finish((entry) => attributeResidue(context, entry, residue, base(entry.migration)));
  }

  // All ups again.
  for (const entry of upped) {
    const up = await context.run(entry.migration, 'up');
    timings.get(entry.migration)!.upAgain = up.ms;
    if (!up.ok) return stopAt(entry, 'up failed when run again after the downs', up.error);
  }
  const again = diffSnapshots(end, await context.snapshot()).changes;
  if (again.length > 0) {
    return finish((entry) => ({
      ...base(entry.migration),
      status: 'not-reversible',
      message: 'the ups after the downs give a different schema than the first ups',
      residue: again.map(describeChange),
    }));
  }
  return finish((entry) => ({ ...base(entry.migration), status: 'reversible' }));

  function notProven(culprit: Migration) {
    return {
      ...base(culprit),
      status: 'not-reversible' as const,
      message: `not proven: the sequence stopped at ${culprit.name}`,
    };
  }
}

/**
 * Puts residue on the migration that created each leftover object when known; residue
 * with no known creator is charged to every migration of the segment.
 */
function attributeResidue(
  context: ProofContext,
  entry: { migration: Migration; index: number },
  residue: readonly SchemaChange[],
  base: Omit<MigrationResult, 'status'>,
): MigrationResult {
  const creatorOf = (change: SchemaChange) => context.creators.byKey(change.key)?.migration;
  const mine = residue.filter((change) => creatorOf(change) === entry.migration.name);
  const orphans = residue.filter((change) => creatorOf(change) === undefined);
  const charged = [...mine, ...orphans];
  if (charged.length === 0)
    return {
      ...base,
      status: 'reversible',
      notes: ['proven as part of a sequence whose other migrations left residue'],
    };
  return {
    ...base,
    status: 'not-reversible',
    message: `the downs in sequence do not undo the ups`,
    residue: describeResidue(
      context.creators,
      entry.migration,
      entry.index,
      { changes: charged, notes: [] },
      // The ups all ran before the downs: no schema of this migration's up alone.
      undefined,
    ),
  };
}
