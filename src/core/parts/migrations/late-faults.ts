/**
 * Runs `work` while catching what escapes it: a rejection nobody handles or an exception thrown
 * from a callback (a timer, an event) while it runs and until the next turn of the event loop.
 * Without this, one careless migration (`db.schema.dropView('v').execute()` in a callback,
 * `Promise.reject()` left unawaited) ends the whole process with a stack trace and no report.
 */
export async function catchingLateFaults<T>(
  work: () => Promise<T>,
  /** Rejections of these promises are known already: they are not counted as late. */
  known: (promise: Promise<unknown>) => boolean = () => false,
): Promise<{ readonly result: PromiseSettledResult<T>; readonly late: readonly unknown[] }> {
  const late: unknown[] = [];
  const caught = (error: unknown) => late.push(error);
  const rejected = (error: unknown, promise: Promise<unknown>) => {
    if (!known(promise)) late.push(error);
  };
  process.on('unhandledRejection', rejected);
  process.on('uncaughtException', caught);
  try {
    const [result] = await Promise.allSettled([work()]);
    // Unhandled rejections are told after the microtasks of this turn: wait for the next one.
    await new Promise((next) => setImmediate(next));
    return { result, late };
  } finally {
    process.off('unhandledRejection', rejected);
    process.off('uncaughtException', caught);
  }
}
