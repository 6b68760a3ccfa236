import type { Kysely } from 'kysely';
import { openDatabase } from '../database/connect.ts';
import type { ConnectionTarget } from '../database/connection-url.ts';
import { messageOf } from '../../model/errors.ts';
import { failed } from '../../model/outcome.ts';
import type { Outcome } from '../../model/outcome.ts';
import { optional } from '../../model/optional.ts';
import { chooseTool } from './backup-tool.ts';
import type { ChosenTool, ToolEnvironment, ToolPlacement, ToolRole } from './backup-tool.ts';

/** Where the dump and restore programs run, shared by taking, verifying and restoring. */
export interface BackupToolOptions {
  /** `auto` (default): a fitting local client, else the server's image in a container. */
  readonly placement?: ToolPlacement;
  /** The server's image for the container fallback, e.g. `postgres:16-alpine`. */
  readonly image?: string;
  /** Injected tool discovery, for tests. */
  readonly toolEnvironment?: ToolEnvironment;
  /** Upper bound of one dump or restore program run; none by default. */
  readonly toolTimeoutMs?: number;
}

/** A connection to the target, and the dump or restore program that fits its server. */
export interface ToolSession {
  readonly db: Kysely<any>;
  readonly serverVersion: string;
  readonly tool: ChosenTool;
}

/**
 * Connects to the target and picks the program doing `role` that fits its server. `cannot`
 * opens the message when the target cannot be reached, e.g. "cannot back up the target". On
 * success the caller owns `db` and destroys it.
 */
export async function openToolSession(
  target: ConnectionTarget,
  role: ToolRole,
  options: BackupToolOptions & { readonly connectTimeoutMs?: number },
  cannot: string,
): Promise<Outcome<ToolSession>> {
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(target, optional('connectTimeoutMs', options.connectTimeoutMs));
  } catch (error) {
    // openDatabase's messages name the server, never the credentials.
    return failed(`${cannot}: ${messageOf(error)}`);
  }
  const { db, serverVersion } = opened;
  const chosen = await chooseTool(target.dialect, serverVersion, role, {
    ...optional('placement', options.placement),
    ...optional('image', options.image),
    ...optional('environment', options.toolEnvironment),
  }).catch(async (error: unknown) => {
    await db.destroy().catch(() => {});
    throw error;
  });
  if (!chosen.ok) {
    await db.destroy().catch(() => {});
    return chosen;
  }
  return { ok: true, db, serverVersion, tool: chosen.tool };
}
