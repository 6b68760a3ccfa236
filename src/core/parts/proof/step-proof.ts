import type { Migration } from '../migrations/migration.ts';
import type { MigrationPlan } from '../plan/migration-plan.ts';
import { describeChange, diffSnapshots } from '../schema/diff.ts';
import type { SchemaSnapshot } from '../schema/snapshot.ts';
import { bringMerged } from './merged-cache.ts';
import type { ProofContext } from './proof-context.ts';
import { emptyDirections, verdictWithoutDown } from './proof-verdicts.ts';
import { describeNotes, describeResidue } from './residue-words.ts';
import type { MigrationResult, ReplayResult, StepTimings } from '../../model/migration-result.ts';
import type { DataFinding } from '../../model/data-finding.ts';
import type { RowLoss } from '../rows/round-trip.ts';
import { droppedByUp, roundTripLosses } from '../rows/round-trip.ts';
import { downLosesRows, failsOnExistingRows, withDropCounts } from './data-findings.ts';
import type { RowsBefore } from './seeded-rows.ts';

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
  for (let index = 0; index < all.length;) {
    const merged = mergedRunAt(context, index);
    if (merged.length > 0) {
      const brought = await bringMerged(context, merged);
      replayed.push(...brought.replayed);
      current = brought.snapshot;
      index += merged.length;
      continue;
    }
    const migration = all[index]!;
    current ??= await context.snapshot();
    const plan = context.plan(migration);
    const outcome = await proveOne(context, migration, index, current, plan);
    current = outcome.after;
    const found = plan.findings(outcome.upSnapshots);
    const risks = withDropCounts(found.risks, outcome.dropped ?? []);
    migrations.push(context.emit({ ...outcome.result, ...found, ...(risks === undefined ? {} : { risks }) }));
    index += 1;
  }
  return {
    migrations: migrations.map((result) => withCreatorHint(context, result)),
    replayed,
    final: current,
  };
}

/** The migrations from `index` on that are not under proof, up to the next one that is. */
function mergedRunAt(context: ProofContext, index: number): Migration[] {
  const all = context.options.migrations;
  let end = index;
  while (end < all.length && !context.options.isUnderProof(all[end]!)) end += 1;
  return all.slice(index, end);
}

interface ProvenOne {
  readonly result: MigrationResult;
  /** The snapshot of the database after the step, or undefined when it must be taken anew. */
  readonly after: SchemaSnapshot | undefined;
  /** The snapshots around the first up, when it ran: what the risk rules judge. */
  readonly upSnapshots?: { readonly before: SchemaSnapshot; readonly afterUp: SchemaSnapshot };
  /** The up failed (not only because of rows). */
  readonly upFailed?: boolean;
  /** What the up dropped of the rows present before it, for the data-loss risks. */
  readonly dropped?: readonly RowLoss[];
}

/**
 * Proves one migration. With the data-aware proof (`withRows`), the tables hold rows before
 * the up: a step that then fails is run again on the same schema without them, and when it
 * passes so, the proof goes on without rows and reports that the step fails on existing rows.
 */
async function proveOne(
  context: ProofContext,
  migration: Migration,
  index: number,
  before: SchemaSnapshot,
  plan: MigrationPlan,
  withRows = true,
): Promise<ProvenOne> {
  const timings: StepTimings = {};
  const empty = emptyDirections(migration);
  const base = {
    name: migration.name,
    file: context.fileOf(migration),
    ...(empty.length > 0 ? { empty } : {}),
  };
  const appliedBefore = [...context.applied];
  const db = () => context.options.throwaway.db;
  const rows = withRows && context.rows !== undefined ? await context.rows.before(db(), before) : undefined;

  const up = await context.run(migration, 'up', plan.firstUp);
  timings.up = up.ms;
  if (!up.ok && rows?.any === true) {
    const statement = plan.failedStatement('up');
    await context.restore(appliedBefore);
    const withoutRows = await proveOne(context, migration, index, before, plan, false);
    if (withoutRows.upFailed === true) return withoutRows;
    const finding = failsOnExistingRows(migration.name, 'up', up.error, context.dialect, statement);
    return withFinding(withoutRows, [finding]);
  }
  if (!up.ok) {
    context.deferCreatorHint(index, migration, up.error, undefined);
    if (!context.rolledBack(migration, up)) await context.restore(appliedBefore);
    return {
      result: context.failure(migration, 'error', 'up failed', up.error, timings),
      after: undefined,
      upFailed: true,
    };
  }
  const afterUp = await context.snapshotAfterStep(before);
  context.creators.record(migration.name, index, before, afterUp);
  const changes = diffSnapshots(before, afterUp).changes.map(describeChange);
  const described = { ...base, ...(changes.length > 0 ? { changes } : {}) };
  const upSnapshots = { before, afterUp };
  const dropped = rows?.any === true ? droppedByUp(rows.tables, rows.rows, afterUp) : [];
  const findings: DataFinding[] = [];
  const state = { before, afterUp, appliedBefore };
  const proven = await proveDown(context, migration, index, plan, state, rows, findings);
  return withFinding(
    {
      ...proven,
      result: { ...described, ...proven.result, timings: { ...timings, ...proven.result.timings } },
      upSnapshots,
      ...(dropped.length > 0 ? { dropped } : {}),
    },
    findings,
  );
}

function withFinding(proven: ProvenOne, findings: readonly DataFinding[]): ProvenOne {
  if (findings.length === 0) return proven;
  const dataFindings = [...findings, ...(proven.result.dataFindings ?? [])];
  return { ...proven, result: { ...proven.result, dataFindings } };
}

interface UpState {
  readonly before: SchemaSnapshot;
  readonly afterUp: SchemaSnapshot;
  readonly appliedBefore: readonly Migration[];
}

/** The rest of the proof once the up ran: down, the residue, the rows through the round trip, up again. */
async function proveDown(
  context: ProofContext,
  migration: Migration,
  index: number,
  plan: MigrationPlan,
  { before, afterUp, appliedBefore }: UpState,
  rows: RowsBefore | undefined,
  findings: DataFinding[],
): Promise<Omit<ProvenOne, 'upSnapshots'>> {
  const timings: StepTimings = {};
  const described = { name: migration.name, file: context.fileOf(migration) };
  const withoutDown = verdictWithoutDown(migration);
  if (withoutDown !== undefined) return { result: { ...described, ...withoutDown, timings }, after: afterUp };

  let down = await context.run(migration, 'down', plan.firstDown);
  timings.down = down.ms;
  let rowsGone = false;
  if (!down.ok && rows?.any === true) {
    rowsGone = true;
    // Run the down again on the same schema without rows: does it fail only because of them?
    const statement = plan.failedStatement('down');
    const error = down.error;
    await context.restore([...appliedBefore, migration]);
    down = await context.run(migration, 'down');
    if (down.ok)
      findings.push(failsOnExistingRows(migration.name, 'down', error, context.dialect, statement));
  }
  if (!down.ok) {
    context.deferCreatorHint(index, migration, down.error, afterUp);
    if (!context.rolledBack(migration, down)) await context.restore([...appliedBefore, migration]);
    const result = context.failure(migration, 'not-reversible', 'down failed', down.error, timings);
    return { result, after: context.rolledBack(migration, down) ? afterUp : undefined };
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
        residue: describeResidue(context.creators, migration, index, residueDiff, afterUp),
        timings,
      },
      after: undefined,
    };
  }

  if (rows?.any === true && !rowsGone && context.rows !== undefined) {
    const changed = await context.rows.changedSince(context.options.throwaway.db, rows);
    findings.push(...downLosesRows(migration.name, roundTripLosses(changed.tables, rows.rows, changed.rows)));
  }

  // Back as before the up, proven: the moment to ask MySQL how it would run the up's ALTERs.
  await plan.probe(context.options.throwaway.db, before);
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
  const notes = describeNotes(afterUp, afterUpAgain);
  return {
    result: { ...described, status: 'reversible', ...(notes.length > 0 ? { notes } : {}), timings },
    after: afterUpAgain,
  };
}

function withCreatorHint(context: ProofContext, result: MigrationResult): MigrationResult {
  if (result.status === 'reversible' || result.status === 'declared-irreversible') return result;
  const migration = context.options.migrations.find((candidate) => candidate.name === result.name);
  const hint = migration === undefined ? undefined : context.resolveCreatorHint(migration);
  return hint === undefined ? result : { ...result, message: `${result.message ?? ''} (${hint})` };
}
