import { runCheck } from '../src/core/flows/check/run-check.ts';
import type { CheckResult } from '../src/core/model/check-result.ts';
import type { DialectName } from '../src/core/model/dialect.ts';
import { silentLogger } from '../src/core/model/logger.ts';

/** A step-mode `check` of `folder` on a scratch database of `serverUrl`, and its wall time. */
export async function timeServerCheck(
  folder: string,
  dialect: DialectName,
  serverUrl: string,
  options: { readonly seedRows?: boolean } = {},
): Promise<{ readonly ms: number; readonly result: CheckResult }> {
  const started = performance.now();
  const result = await runCheck({
    migrations: folder,
    dialect,
    throwaway: 'server',
    serverUrl,
    mode: 'step',
    cwd: process.cwd(),
    logger: silentLogger,
    ...(options.seedRows === undefined ? {} : { seedRows: options.seedRows }),
  });
  return { ms: performance.now() - started, result };
}
