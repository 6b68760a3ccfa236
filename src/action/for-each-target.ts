/** How the work on one target ended. */
export type TargetOutcome<R> =
  | { readonly kind: 'done'; readonly result: R }
  /** It threw: an environment or usage error (unreachable target, wrong password). */
  | { readonly kind: 'error'; readonly error: unknown }
  /** Never started: an earlier target had failed. */
  | { readonly kind: 'skipped' };

/**
 * Works on each target, at most `parallel` at once, starting them in the order given. After
 * the first failure (a result `succeeded` rejects, or a throw) no new target starts, so a
 * migration that breaks one shard is not pushed to the rest; targets already running finish,
 * since stopping a migration midway is worse than letting it end. Outcomes come back in the
 * targets' order.
 */
export async function forEachTarget<T, R>(
  targets: readonly T[],
  parallel: number,
  work: (target: T, index: number) => Promise<R>,
  succeeded: (result: R) => boolean,
): Promise<TargetOutcome<R>[]> {
  const outcomes: TargetOutcome<R>[] = targets.map(() => ({ kind: 'skipped' }));
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < targets.length) {
      const index = next;
      next += 1;
      try {
        const result = await work(targets[index]!, index);
        outcomes[index] = { kind: 'done', result };
        if (!succeeded(result)) failed = true;
      } catch (error) {
        outcomes[index] = { kind: 'error', error };
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, targets.length)) }, worker));
  return outcomes;
}
