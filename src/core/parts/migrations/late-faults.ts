import { messageOf } from '../../model/errors.ts';
import { redactSecrets } from '../database/redaction.ts';

/** How many steps are inside {@link catchingLateFaults}: what escapes then is theirs. */
let stepsRunning = 0;

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
  stepsRunning += 1;
  try {
    const [result] = await Promise.allSettled([work()]);
    // Unhandled rejections are told after the microtasks of this turn: wait for the next one.
    await new Promise((next) => setImmediate(next));
    return { result, late };
  } finally {
    stepsRunning -= 1;
    process.off('unhandledRejection', rejected);
    process.off('uncaughtException', caught);
  }
}

/**
 * Keeps what a migration's code raises once no step is running (a timer it set for later, a
 * query it forgot that fails seconds on) from ending the process with a stack trace and no
 * report: `onFault` is told, and the run goes on. Installed once by a shell, for the process.
 */
export function catchStrayFaults(onFault: (message: string) => void): void {
  const stray = (error: unknown) => {
    if (stepsRunning === 0)
      onFault(
        `a migration's code raised an error after its step had ended (a timer, or a promise it did not await?): ${redactSecrets(messageOf(error))}`,
      );
  };
  process.on('unhandledRejection', stray);
  process.on('uncaughtException', stray);
}
