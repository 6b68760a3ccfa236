/**
 * Cleanups that must run when the process is interrupted (SIGINT/SIGTERM), such as dropping
 * a scratch database. `await using` covers normal exits and errors; signals bypass it, so
 * providers also register here while they hold something.
 */
const cleanups = new Set<() => Promise<void>>();
let interrupted = false;

/**
 * Whether a signal is ending the process: the run in progress then fails in ways that say
 * nothing about the migrations (its connections are cut), so shells stop reporting.
 */
export function isInterrupted(): boolean {
  return interrupted;
}

/** Registers a cleanup; the returned function unregisters it. */
export function registerInterruptCleanup(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Runs every registered cleanup once, within `timeoutMs`, and forgets them. The timer keeps the
 * process alive: a cleanup may wait on something that does not (a cut connection), and a
 * process whose event loop empties before the signal's exit would end with Node's code 13
 * (an unsettled top-level await) instead of 130 or 143.
 */
async function runInterruptCleanups(timeoutMs: number): Promise<void> {
  const pending = [...cleanups].map((cleanup) => cleanup().catch(() => {}));
  cleanups.clear();
  await settlesWithin(Promise.all(pending), timeoutMs);
}

/**
 * Whether `promise` settles within `ms`. The timer keeps the process alive meanwhile (see
 * runInterruptCleanups), and is cleared as soon as the promise settles.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Makes SIGINT and SIGTERM run the cleanups, then exit with the conventional code (130, 143).
 * Called once by a shell (CLI, action), never by the engine itself.
 *
 * The listeners stay installed (`on`, not `once`), and a second signal during cleanup is
 * ignored: testcontainers' file lock uses signal-exit, which kills the process with the signal
 * again the moment it sees itself as the only listener, before a container is removed.
 */
export function cleanUpOnSignals(timeoutMs = 10_000): void {
  const handle = (signal: NodeJS.Signals, code: number) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\nreceived ${signal}: dropping throwaway databases...\n`);
    void runInterruptCleanups(timeoutMs).finally(() => process.exit(code));
  };
  process.on('SIGINT', () => handle('SIGINT', 130));
  process.on('SIGTERM', () => handle('SIGTERM', 143));
}
