import type { CheckResult } from '../../model/check-result.ts';
import type { ProofEngine } from '../../model/engine-version.ts';
import { describeEngine, sameRelease } from '../database/engine-version.ts';

/** `MySQL 9.7.4 (container mysql:9.7)`, `PostgreSQL 18.1 (embedded PGlite)`, `MariaDB 10.11.19`. */
export function proofEngineWords(engine: ProofEngine): string {
  const where =
    engine.image !== undefined
      ? ` (container ${engine.image})`
      : engine.embedded === true
        ? ' (embedded PGlite)'
        : '';
  return `${describeEngine(engine)}${where}`;
}

/**
 * `proven on PostgreSQL 15.20, target runs PostgreSQL 17.2` when the proof ran on another
 * engine or release than the target's (a server or embedded throwaway, or --image given):
 * the verdict must not read as proven on the target's version. Undefined when they match or
 * either is unknown.
 */
export function releaseMismatch(result: CheckResult): string | undefined {
  const { provenOn, targetEngine } = result;
  if (provenOn === undefined || targetEngine === undefined || sameRelease(provenOn, targetEngine))
    return undefined;
  const proof =
    provenOn.embedded === true ? `PGlite (${describeEngine(provenOn)})` : describeEngine(provenOn);
  return `proven on ${proof}, target runs ${describeEngine(targetEngine)}`;
}
