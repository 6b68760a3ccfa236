import type { AlgorithmVerdict, PostgresLockMode } from '../facts/observed-facts.ts';
import { POSTGRES_LOCK_MODES } from '../facts/observed-facts.ts';
import type { RiskInput } from './rule.ts';

/** `AccessExclusiveLock` as the documentation and `LOCK TABLE` name it: `ACCESS EXCLUSIVE`. */
export function lockModeName(mode: PostgresLockMode): string {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/** What other sessions cannot do while a lock of this mode is held. */
function blocks(mode: PostgresLockMode): string {
  const strength = POSTGRES_LOCK_MODES.indexOf(mode);
  if (strength >= POSTGRES_LOCK_MODES.indexOf('AccessExclusiveLock')) return 'blocks reads and writes';
  if (strength >= POSTGRES_LOCK_MODES.indexOf('ShareLock')) return 'blocks writes';
  return 'blocks neither reads nor writes';
}

/** Whether a lock of this mode blocks writes to the table. */
export function blocksWrites(mode: PostgresLockMode): boolean {
  return POSTGRES_LOCK_MODES.indexOf(mode) >= POSTGRES_LOCK_MODES.indexOf('ShareLock');
}

/** The strongest lock the up took on a table, in words, or why locks were not read. */
export function lockEvidence(input: RiskInput, table: string): string[] {
  if (input.dialect !== 'postgres') return [];
  if (input.facts.locks === undefined)
    return input.facts.locksUnread === undefined ? [] : [input.facts.locksUnread];
  const mode = input.facts.locks.get(table);
  if (mode === undefined) return [];
  return [`took ${lockModeName(mode)} lock on ${table} (${blocks(mode)} until COMMIT)`];
}

/** Whether the up rewrote a table's storage, as observed on the throwaway database. */
export function wasRewritten(input: RiskInput, table: string): boolean {
  return input.facts.rewritten?.has(table) ?? false;
}

/** The rewrite of a table in words, when observed. */
export function rewriteEvidence(input: RiskInput, table: string): string[] {
  if (wasRewritten(input, table)) return [`rewrote table ${table} (relfilenode changed)`];
  if (input.dialect === 'postgres' && input.facts.rewritten === undefined && input.facts.rewrittenUnread)
    return [input.facts.rewrittenUnread];
  return [];
}

/** How the server could run a statement, as the MySQL probe found. */
export function algorithmEvidence(input: RiskInput, statement: number | undefined): string[] {
  if (input.dialect !== 'mysql') return [];
  const verdict = statement === undefined ? undefined : input.facts.algorithms?.get(statement);
  if (verdict === undefined)
    return input.facts.algorithmsUnread === undefined ? [] : [input.facts.algorithmsUnread];
  if (verdict.algorithm !== 'unknown' && verdict.pinned === true)
    return [
      `the statement pins its ALGORITHM or LOCK; on a copy of ${verdict.table} it ran ${PINNED[verdict.algorithm]}`,
    ];
  switch (verdict.algorithm) {
    case 'instant':
      return [`the server accepted ALGORITHM=INSTANT on a copy of ${verdict.table} (metadata only)`];
    case 'nocopy':
      return [`the server accepted ALGORITHM=NOCOPY, LOCK=NONE on a copy of ${verdict.table} (no rebuild)`];
    case 'inplace':
      return [
        `the server refused INSTANT but accepted ALGORITHM=INPLACE, LOCK=NONE on a copy of ${verdict.table} (rebuilt while writes go on)`,
      ];
    case 'inplace-locked':
      return [
        `the server accepted ALGORITHM=INPLACE on a copy of ${verdict.table} only with a lock (LOCK=NONE refused): writes wait`,
      ];
    case 'copy':
      return [
        `the server refused INSTANT and INPLACE on a copy of ${verdict.table}: only ALGORITHM=COPY, which blocks writes while the table is copied`,
      ];
    case 'unknown':
      return [`the algorithm could not be probed on a copy of ${verdict.table}: ${verdict.reason}`];
  }
}

/** How a statement that pins its algorithm runs, in words. */
const PINNED: Readonly<Record<Exclude<AlgorithmVerdict['algorithm'], 'unknown'>, string>> = {
  instant: 'INSTANT (metadata only)',
  nocopy: 'NOCOPY, with writes going on',
  inplace: 'in place, with writes going on',
  'inplace-locked': 'in place under a lock that blocks writes',
  copy: 'with ALGORITHM=COPY, which blocks writes while the table is copied',
};

/** Whether the probe found that the statement blocks writes for a rebuild or copy. */
export function blocksWritesOnMysql(input: RiskInput, statement: number | undefined): boolean {
  const algorithm = statement === undefined ? undefined : input.facts.algorithms?.get(statement)?.algorithm;
  return algorithm === 'copy' || algorithm === 'inplace-locked';
}
