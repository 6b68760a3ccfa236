import { timeServerCheck } from './server-check.ts';
import type { DialectName } from '../src/core/model/dialect.ts';

/** Wall time of `check` of one history, schema-only and data-aware, medians of `runs`. */
export interface DataProofCost {
  readonly schemaOnlyMs: number;
  readonly dataAwareMs: number;
}

/**
 * Measures the data-aware proof against the schema-only one on one server: the runs
 * alternate, so a busy machine slows both alike; each must pass.
 */
export async function measureDataProofCost(
  folder: string,
  dialect: DialectName,
  serverUrl: string,
  runs = 3,
): Promise<DataProofCost> {
  const schemaOnly: number[] = [];
  const dataAware: number[] = [];
  for (let attempt = 0; attempt < runs; attempt += 1) {
    schemaOnly.push(await timeCheck(folder, dialect, serverUrl, false));
    dataAware.push(await timeCheck(folder, dialect, serverUrl, true));
  }
  return { schemaOnlyMs: median(schemaOnly), dataAwareMs: median(dataAware) };
}

async function timeCheck(folder: string, dialect: DialectName, serverUrl: string, seedRows: boolean) {
  const { ms, result } = await timeServerCheck(folder, dialect, serverUrl, { seedRows });
  if (!result.ok) {
    const failed = result.migrations.find((migration) => migration.status !== 'reversible');
    throw new Error(`check failed (seed rows: ${seedRows}): ${failed?.name} ${failed?.message ?? ''}`);
  }
  return ms;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
