import { hostname } from 'node:os';

/** Who created a scratch database: enough to tell later whether that run is still alive. */
export interface ScratchOwner {
  readonly host: string;
  readonly pid: number;
  /** When the database was created, by the server's clock (ISO 8601, UTC). */
  readonly started: string;
}

/** The owner of the scratch databases this process creates, started at the server's `serverNow`. */
export function thisProcessAsOwner(serverNow: Date): ScratchOwner {
  return { host: hostname(), pid: process.pid, started: serverNow.toISOString() };
}

const MARKER_PREFIX = 'migration-gate scratch database ';

/** The text a Postgres `COMMENT ON DATABASE` holds: a fixed prefix and the owner as JSON. */
export function ownerMarker(owner: ScratchOwner): string {
  return `${MARKER_PREFIX}${JSON.stringify(owner)}`;
}

/**
 * The owner a marker names; undefined for any other text, so a database somebody else
 * commented (or one with our name pattern and no comment) is never taken for ours.
 */
export function parseOwnerMarker(text: string | null | undefined): ScratchOwner | undefined {
  if (typeof text !== 'string' || !text.startsWith(MARKER_PREFIX)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(MARKER_PREFIX.length));
  } catch {
    return undefined;
  }
  return isOwner(value) ? value : undefined;
}

function isOwner(value: unknown): value is ScratchOwner {
  if (typeof value !== 'object' || value === null) return false;
  const { host, pid, started } = value as Record<string, unknown>;
  return (
    typeof host === 'string' &&
    Number.isSafeInteger(pid) &&
    typeof started === 'string' &&
    !Number.isNaN(Date.parse(started))
  );
}
