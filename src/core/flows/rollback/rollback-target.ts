import { UsageError } from '../../model/errors.ts';

/** How far to roll back: to a named migration (`'0'`: none stays applied), or by a number of steps. */
export type RollbackGoal = { readonly to: string } | { readonly steps: number };

/**
 * The applied migrations to undo, newest first. A name that is not applied, or more steps
 * than are applied, is a usage error: the user asked for something the target cannot do.
 */
export function migrationsToUndo(applied: readonly string[], goal: RollbackGoal): string[] {
  if ('steps' in goal) {
    if (!Number.isInteger(goal.steps) || goal.steps < 1) {
      throw new UsageError(`steps must be a whole number of at least 1, not ${goal.steps}`);
    }
    if (goal.steps > applied.length) {
      throw new UsageError(
        `cannot roll back ${goal.steps} step(s): the target has ${applied.length} applied`,
      );
    }
    return applied.slice(applied.length - goal.steps).reverse();
  }
  if (goal.to === '0') return [...applied].reverse();
  const index = applied.indexOf(goal.to);
  if (index === -1) throw new UsageError(`cannot roll back to ${goal.to}: the target has not applied it`);
  return applied.slice(index + 1).reverse();
}
