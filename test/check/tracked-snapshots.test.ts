import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/model/logger.ts';
import { TrackedSnapshots } from '../../src/core/parts/proof/tracked-snapshots.ts';
import type { ChangeScope, ChangeTracker } from '../../src/core/parts/schema/change-scope.ts';
import { buildSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import type { SchemaObject, SchemaSnapshot } from '../../src/core/parts/schema/snapshot.ts';
import type { SchemaSnapshotter, SnapshotOptions } from '../../src/core/parts/schema/snapshotter.ts';
import type { ThrowawayDatabase } from '../../src/core/parts/throwaway/throwaway.ts';

const table = (name: string): SchemaObject => ({ kind: 'table', name, attributes: {} });

/** A catalog of tables; each take reads the owners asked for, or all of it. */
class FakeSnapshotter implements SchemaSnapshotter {
  tables = ['posts'];
  readonly takes: (readonly string[] | 'all')[] = [];

  async take(_db: Kysely<any>, options: SnapshotOptions): Promise<SchemaSnapshot> {
    const owners = options.owners;
    this.takes.push(owners === undefined ? 'all' : [...owners]);
    const wanted = this.tables.filter((name) => owners === undefined || owners.has(`relation:${name}`));
    return buildSnapshot('postgres', wanted.map(table));
  }
}

/** A tracker that reports `scope` after each step, or cannot be installed. */
class FakeTracker implements ChangeTracker {
  installs = 0;
  starts = 0;
  constructor(
    readonly installable: boolean,
    public scope: ChangeScope = { everything: false, owners: new Set() },
  ) {}
  async install(): Promise<boolean> {
    this.installs += 1;
    return this.installable;
  }
  async start(): Promise<void> {
    this.starts += 1;
  }
  async changes(): Promise<ChangeScope> {
    return this.scope;
  }
  observe(): void {}
}

function snapshotsOf(snapshotter: FakeSnapshotter, tracker?: ChangeTracker): TrackedSnapshots {
  return new TrackedSnapshots({
    throwaway: { db: {} } as ThrowawayDatabase,
    snapshotter,
    ...(tracker === undefined ? {} : { tracker }),
    excludeTables: [],
    logger: silentLogger,
  });
}

const step = async () => 'ran';

describe('the snapshots of a proof', () => {
  it('re-read only the owners a tracked step touched, merged into the snapshot from before it', async () => {
    const snapshotter = new FakeSnapshotter();
    const tracker = new FakeTracker(true, { everything: false, owners: new Set(['relation:tags']) });
    const snapshots = snapshotsOf(snapshotter, tracker);
    const before = await snapshots.full();
    expect(await snapshots.track(step)).toBe('ran');
    snapshotter.tables = ['posts', 'tags'];
    const after = await snapshots.afterStep(before);
    expect(Object.keys(after.objects).sort()).toEqual(['table:posts', 'table:tags']);
    expect(snapshotter.takes).toEqual(['all', ['relation:tags']]);
    expect([tracker.installs, tracker.starts]).toEqual([1, 1]);
  });

  it('install the tracker once per database, right before the first tracked step', async () => {
    const tracker = new FakeTracker(true);
    const snapshots = snapshotsOf(new FakeSnapshotter(), tracker);
    expect(tracker.installs).toBe(0);
    await snapshots.track(step);
    await snapshots.track(step);
    expect([tracker.installs, tracker.starts]).toEqual([1, 2]);
    snapshots.reset();
    await snapshots.track(step);
    expect([tracker.installs, tracker.starts]).toEqual([2, 3]);
  });

  it('read the whole catalog after an untracked step, or when the tracker knows nothing', async () => {
    const snapshotter = new FakeSnapshotter();
    const tracker = new FakeTracker(true, { everything: true, reason: 'ALTER SCHEMA' });
    const snapshots = snapshotsOf(snapshotter, tracker);
    const before = await snapshots.full();
    await snapshots.track(async () => snapshots.untracked());
    await snapshots.afterStep(before);
    snapshots.untracked();
    await snapshots.afterStep(before);
    await snapshots.track(step);
    await snapshots.afterStep(before);
    expect(snapshotter.takes).toEqual(['all', 'all', 'all', 'all']);
  });

  it('read the whole catalog after every step where the tracker cannot be installed', async () => {
    const snapshotter = new FakeSnapshotter();
    const tracker = new FakeTracker(false);
    const snapshots = snapshotsOf(snapshotter, tracker);
    const before = await snapshots.full();
    await snapshots.track(step);
    await snapshots.afterStep(before);
    await snapshots.track(step);
    expect(tracker.starts).toBe(0);
    expect(tracker.installs).toBe(1);
    expect(snapshotter.takes).toEqual(['all', 'all']);
  });

  it('keep the snapshot from before a tracked step that touched nothing', async () => {
    const snapshotter = new FakeSnapshotter();
    const snapshots = snapshotsOf(snapshotter, new FakeTracker(true));
    const before = await snapshots.full();
    await snapshots.track(step);
    expect(await snapshots.afterStep(before)).toBe(before);
    expect(snapshotter.takes).toEqual(['all']);
  });
});
