/** Thrown by Bulkhead.run when every slot is busy and the waiting line is full. */
export class BulkheadFullError extends Error {
  constructor() {
    super('every slot is busy and the waiting line is full');
    this.name = 'BulkheadFullError';
  }
}

/**
 * Runs at most `slots` tasks at once and lets at most `maxWaiting` more wait for a slot; beyond that it
 * refuses at once, so a burst costs bounded CPU, memory and latency instead of an ever longer queue.
 */
export class Bulkhead {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly slots: number,
    readonly maxWaiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.maxWaiting) throw new BulkheadFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
