import { ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** Does something listen on this loopback port? */
export const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = new Socket();
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });

/** Polls `check` (a failure counts as not yet); `gone` ends the wait at once, e.g. when a child process died. */
export async function until(
  check: () => Promise<boolean>,
  ms: number,
  what = 'condition',
  gone: () => string | null = () => null,
): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const reason = gone();
    if (reason) throw new Error(reason);
    if (await check().catch(() => false)) return;
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** A private redis-server on a free port, for tests that stop, restart or flush Redis (never the shared one). */
export class TestRedis {
  private proc?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedis> {
    const r = new TestRedis(await freePort());
    await r.resume();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await until(() => portOpen(this.port), 10_000, `redis-server on ${this.port}`);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
    this.proc = undefined;
  }
}
