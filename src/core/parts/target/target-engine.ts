import type { EngineVersion } from '../../model/engine-version.ts';
import { openDatabase } from '../database/connect.ts';
import { parseConnectionUrl } from '../database/connection-url.ts';
import { engineVersionOf } from '../database/engine-version.ts';

/**
 * The engine and version the target runs, read with one short connection before the proof so
 * the proof can run on the same release; undefined when the target cannot be read now (the
 * target inspection after the proof then reports why, in its own words).
 */
export async function readTargetEngine(targetUrl: string): Promise<EngineVersion | undefined> {
  try {
    const target = parseConnectionUrl(targetUrl);
    const { db, serverVersion } = await openDatabase(target);
    await db.destroy();
    return engineVersionOf(target.dialect, serverVersion);
  } catch {
    return undefined;
  }
}
