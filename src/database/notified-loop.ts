import { Logger } from '@nestjs/common';
import type { Client } from 'pg';

const LISTEN_RETRY_MS = 5000;
/** Notifications arriving within this delay share one pass. */
const WAKE_DELAY_MS = 10;

export interface NotifiedLoopOptions {
  /** For the log lines: "recalculation relay". */
  name: string;
  logger: Logger;
  /** A new, unconnected connection of its own (outside the pool) to LISTEN on. */
  listener: () => Client;
  channel: string;
  /** The pass interval, notifications or not. */
  intervalMs: number;
  /** One pass; answers true when another should follow at once (more work was left). */
  pass: () => Promise<boolean>;
  /** A pass threw; the next one runs after max(intervalMs, 1 s). */
  failed: (e: unknown) => void;
}

/**
 * Runs `pass` when a NOTIFY arrives on `channel`, and every `intervalMs` whatever happens: a lost notification or a
 * dropped listener costs latency only. The LISTEN connection is reopened after any failure. A notification during a
 * pass runs another right after it. The loop of the recalculation relay and the webhook relay.
 */
export class NotifiedLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private ticking = false;
  private again = false;
  private client?: Client;
  private listenRetry?: NodeJS.Timeout;

  constructor(private readonly o: NotifiedLoopOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
    void this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.listenRetry);
    await this.client?.end().catch(() => undefined);
    await this.running;
  }

  /** Runs a pass soon; if one is running, another right after it. */
  wake(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(WAKE_DELAY_MS);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = this.o.listener();
    const retry = (e?: Error) => {
      if (this.client === client) this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      if (e) this.o.logger.warn(`${this.o.name} stopped listening (${e.message}); polling every ${this.o.intervalMs} ms meanwhile`);
      clearTimeout(this.listenRetry);
      this.listenRetry = setTimeout(() => void this.listen(), LISTEN_RETRY_MS);
    };
    client.on('notification', () => this.wake());
    client.on('error', retry);
    client.on('end', () => retry(new Error('connection closed')));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.o.channel}`);
      if (this.stopped) return void client.end().catch(() => undefined);
      this.client = client;
      this.wake(); // work committed while nobody listened
    } catch (e) {
      retry(e as Error);
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = true;
      this.again = false;
      this.running = this.o
        .pass()
        .then((more) => this.schedule(more || this.again ? 0 : this.o.intervalMs))
        .catch((e: unknown) => {
          this.o.failed(e);
          this.schedule(Math.max(this.o.intervalMs, 1000));
        })
        .finally(() => (this.ticking = false));
    }, delay);
  }
}
