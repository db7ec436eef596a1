import { Bulkhead, BulkheadFullError } from './bulkhead';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const tick = () => new Promise((r) => setImmediate(r));

describe('Bulkhead', () => {
  it('runs at most `slots` tasks at once, lets `maxWaiting` wait in order, and refuses the rest at once', async () => {
    const bulkhead = new Bulkhead(2, 2);
    const gates = Array.from({ length: 4 }, deferred);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const runs = gates.map((g, i) =>
      bulkhead.run(async () => {
        started.push(i);
        peak = Math.max(peak, ++running);
        try {
          await g.promise;
          return i;
        } finally {
          running--;
        }
      }),
    );
    const settled = Promise.allSettled(runs);
    await tick();
    expect(started).toEqual([0, 1]);
    await expect(bulkhead.run(() => Promise.resolve(9))).rejects.toBeInstanceOf(BulkheadFullError);

    gates[1].resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]); // first in line first
    gates[0].reject(new Error('boom')); // a failing task frees its slot too
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[2].resolve();
    gates[3].resolve();
    await expect(settled).resolves.toEqual([
      { status: 'rejected', reason: new Error('boom') },
      { status: 'fulfilled', value: 1 },
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 3 },
    ]);
    expect(peak).toBe(2);
    await expect(bulkhead.run(() => Promise.resolve(9))).resolves.toBe(9); // all slots are free again
  });
});
