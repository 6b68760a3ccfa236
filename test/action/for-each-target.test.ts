import { describe, expect, test } from 'vitest';
import { forEachTarget } from '../../src/action/for-each-target.ts';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The result a target's work ends with: `ok` false is a failed run (a refusal, a failed migration). */
interface Result {
  readonly target: string;
  readonly ok: boolean;
}

/**
 * Work whose every target is held until the test finishes it, recording which targets started,
 * in what order, and how many ran at once.
 */
function heldWork(targets: readonly string[]) {
  const finish = targets.map(() => deferred<boolean>());
  const started = targets.map(() => deferred<void>());
  const order: string[] = [];
  let running = 0;
  let mostRunning = 0;
  const work = async (target: string, index: number): Promise<Result> => {
    order.push(target);
    running += 1;
    mostRunning = Math.max(mostRunning, running);
    started[index]!.resolve();
    try {
      return { target, ok: await finish[index]!.promise };
    } finally {
      running -= 1;
    }
  };
  return {
    work,
    succeeded: (result: Result) => result.ok,
    /** Resolves once target `index` has started. */
    started: (index: number) => started[index]!.promise,
    succeed: (index: number) => finish[index]!.resolve(true),
    fail: (index: number) => finish[index]!.resolve(false),
    throws: (index: number, error: unknown) => finish[index]!.reject(error),
    order,
    get running() {
      return running;
    },
    get mostRunning() {
      return mostRunning;
    },
  };
}

const SHARDS = ['shard-1', 'shard-2', 'shard-3', 'shard-4', 'shard-5', 'shard-6'];

describe('forEachTarget', () => {
  test('never works on more than `parallel` targets at once, and starts them in order', async () => {
    const held = heldWork(SHARDS);
    const run = forEachTarget(SHARDS, 2, held.work, held.succeeded);

    await Promise.all([held.started(0), held.started(1)]);
    expect(held.order).toEqual(['shard-1', 'shard-2']);
    expect(held.running).toBe(2);

    // The second finishes first: the next target in line takes its place.
    held.succeed(1);
    await held.started(2);
    expect(held.order).toEqual(['shard-1', 'shard-2', 'shard-3']);
    expect(held.running).toBe(2);

    held.succeed(0);
    await held.started(3);
    held.succeed(3);
    await held.started(4);
    held.succeed(2);
    await held.started(5);
    expect(held.order).toEqual(SHARDS);
    held.succeed(4);
    held.succeed(5);

    expect((await run).every((outcome) => outcome.kind === 'done')).toBe(true);
    expect(held.mostRunning).toBe(2);
  });

  test('with parallel 1, one target after another', async () => {
    const targets = SHARDS.slice(0, 3);
    const held = heldWork(targets);
    const run = forEachTarget(targets, 1, held.work, held.succeeded);

    await held.started(0);
    expect(held.order).toEqual(['shard-1']);
    held.succeed(0);
    await held.started(1);
    expect(held.order).toEqual(['shard-1', 'shard-2']);
    held.succeed(1);
    await held.started(2);
    held.succeed(2);

    await run;
    expect(held.mostRunning).toBe(1);
  });

  test("outcomes come back in the targets' order, whatever order they finished in", async () => {
    const targets = SHARDS.slice(0, 4);
    const held = heldWork(targets);
    const run = forEachTarget(targets, 4, held.work, held.succeeded);

    await Promise.all(targets.map((_, index) => held.started(index)));
    for (const index of [3, 1, 2, 0]) held.succeed(index);

    expect(await run).toEqual(targets.map((target) => ({ kind: 'done', result: { target, ok: true } })));
  });

  test('after the first failed result no new target starts; the rest are skipped', async () => {
    const targets = SHARDS.slice(0, 5);
    const held = heldWork(targets);
    const run = forEachTarget(targets, 2, held.work, held.succeeded);

    await Promise.all([held.started(0), held.started(1)]);
    held.fail(0);
    // shard-2 was already running: it is let finish, since stopping a migration midway is worse.
    held.succeed(1);

    expect(await run).toEqual([
      { kind: 'done', result: { target: 'shard-1', ok: false } },
      { kind: 'done', result: { target: 'shard-2', ok: true } },
      { kind: 'skipped' },
      { kind: 'skipped' },
      { kind: 'skipped' },
    ]);
    expect(held.order).toEqual(['shard-1', 'shard-2']);
  });

  test('a target already running when another fails still ends with its own result, even a failure', async () => {
    const targets = SHARDS.slice(0, 4);
    const held = heldWork(targets);
    const run = forEachTarget(targets, 2, held.work, held.succeeded);

    await Promise.all([held.started(0), held.started(1)]);
    held.succeed(0);
    await held.started(2);
    held.fail(1);
    held.fail(2);

    expect(await run).toEqual([
      { kind: 'done', result: { target: 'shard-1', ok: true } },
      { kind: 'done', result: { target: 'shard-2', ok: false } },
      { kind: 'done', result: { target: 'shard-3', ok: false } },
      { kind: 'skipped' },
    ]);
  });

  test('a throw is recorded as an error and also stops new starts', async () => {
    const targets = SHARDS.slice(0, 4);
    const held = heldWork(targets);
    const run = forEachTarget(targets, 2, held.work, held.succeeded);
    const unreachable = new Error('connect ECONNREFUSED 10.0.0.2:5432');

    await Promise.all([held.started(0), held.started(1)]);
    held.throws(1, unreachable);
    held.succeed(0);

    expect(await run).toEqual([
      { kind: 'done', result: { target: 'shard-1', ok: true } },
      { kind: 'error', error: unreachable },
      { kind: 'skipped' },
      { kind: 'skipped' },
    ]);
    expect(held.order).toEqual(['shard-1', 'shard-2']);
  });

  test('a target that fails at once, with parallel 1, leaves every later one skipped', async () => {
    const targets = SHARDS.slice(0, 3);
    const started: string[] = [];
    const outcomes = await forEachTarget(
      targets,
      1,
      async (target) => {
        started.push(target);
        throw new Error('password authentication failed');
      },
      () => true,
    );
    expect(started).toEqual(['shard-1']);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['error', 'skipped', 'skipped']);
  });

  test('each target is handed to the work with its index', async () => {
    const seen: [string, number][] = [];
    await forEachTarget(
      ['a', 'b', 'c'],
      2,
      async (target, index) => {
        seen.push([target, index]);
        return true;
      },
      (ok) => ok,
    );
    expect(seen).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });

  test('parallel larger than the number of targets starts them all at once', async () => {
    const targets = SHARDS.slice(0, 3);
    const held = heldWork(targets);
    const run = forEachTarget(targets, 16, held.work, held.succeeded);

    await Promise.all(targets.map((_, index) => held.started(index)));
    expect(held.running).toBe(3);
    for (const index of [0, 1, 2]) held.succeed(index);

    expect((await run).map((outcome) => outcome.kind)).toEqual(['done', 'done', 'done']);
    expect(held.mostRunning).toBe(3);
  });

  test('no targets: no work, no outcomes', async () => {
    let calls = 0;
    const outcomes = await forEachTarget(
      [],
      4,
      async () => {
        calls += 1;
        return true;
      },
      () => true,
    );
    expect(outcomes).toEqual([]);
    expect(calls).toBe(0);
  });
});
