import type { ScratchOwner } from './scratch-owner.ts';

/**
 * How old a scratch database must be before a sweep may drop it. A live run's scratch
 * database can have no session for a moment (its pool closes idle connections), so age is
 * required on top of "no session"; the bounds are far longer than a gap between two steps.
 */
export interface StaleBounds {
  /** Owner on this host whose process is gone. */
  readonly ownerGoneMs: number;
  /** Owner on another host, whose process cannot be looked at from here. */
  readonly otherHostMs: number;
}

/** Ten minutes when the owner is known gone; a day when it may be alive elsewhere. */
export const DEFAULT_STALE_BOUNDS: StaleBounds = { ownerGoneMs: 10 * 60_000, otherHostMs: 24 * 3_600_000 };

/** A marked scratch database as a sweep sees it. */
export interface ScratchSighting {
  readonly name: string;
  readonly owner: ScratchOwner;
  /** Its age by the server's clock (both times are the server's, so no clock skew). */
  readonly ageMs: number;
  /** Sessions connected to it now. */
  readonly sessions: number;
}

/** What this process can find out about the machine it runs on. */
export interface LocalMachine {
  readonly host: string;
  isAlive(pid: number): boolean;
}

/**
 * Why `sighting` is stale (owner gone, nothing connected, old enough), or undefined when it
 * may still be in use and must survive.
 */
export function staleReason(
  sighting: ScratchSighting,
  here: LocalMachine,
  bounds: StaleBounds = DEFAULT_STALE_BOUNDS,
): string | undefined {
  if (sighting.sessions > 0) return undefined;
  const { host, pid } = sighting.owner;
  const minutes = Math.floor(sighting.ageMs / 60_000);
  if (host === here.host) {
    if (here.isAlive(pid) || sighting.ageMs < bounds.ownerGoneMs) return undefined;
    return `process ${pid} on ${host} is gone, no session, ${minutes} min old`;
  }
  if (sighting.ageMs < bounds.otherHostMs) return undefined;
  return `owner on ${host} (pid ${pid}), no session, ${Math.floor(minutes / 60)} h old`;
}

/** Whether a process with `pid` exists on this machine (a signal 0 probes without sending). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
