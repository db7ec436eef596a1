import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { freePort, until } from '../test/processes';

const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

/** User + system CPU seconds of a process, from /proc; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime (fields 14 and 15 of the whole line)
  } catch {
    return 0;
  }
}

/** The process's peak resident memory so far (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kib) / 1024);
}

export interface ApiProcess {
  base: string;
  port: number;
  pid: number;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** The checkout whose `src/main.ts` runs (and whose node_modules it loads); default the current directory. */
  cwd?: string;
  /** Extra modules to preload (`node -r`), e.g. bench/count-queries.js. */
  preload?: string[];
}

/**
 * The real API (`src/main.ts`) in production mode on 127.0.0.1 and a free port, without the recalculation worker or
 * the nightly run; `env` adds or overrides settings. Resolves once /health/ready answers.
 */
export async function startApi(
  databaseUrl: string,
  redisUrl: string,
  env: Record<string, string> = {},
  opts: StartOptions = {},
): Promise<ApiProcess> {
  const port = await freePort();
  let output = '';
  const preload = (opts.preload ?? []).flatMap((m) => ['-r', m]);
  // BENCH_API_CPU_PROF_DIR: the API writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const profile = process.env.BENCH_API_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_CPU_PROF_DIR}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...preload, '-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: opts.cwd,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      RECALC_WORKER: 'false',
      RECALC_CRON: '',
      JWT_SECRET: 'bench-secret-that-is-at-least-32-characters',
      ADMIN_PASSWORD: 'bench-admin-password',
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: 'pipe',
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  await until(
    async () => (await fetch(`${base}/health/ready`)).ok,
    60_000,
    'the API to be ready',
    () => (child.exitCode !== null ? `the API exited with ${child.exitCode}:\n${output}` : null),
  );
  return {
    base,
    port,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    },
  };
}

export type Json = Record<string, unknown>;

/** How a bench request signs in: a bearer token or an API key. */
export interface Auth {
  token?: string;
  key?: string;
}

/** One HTTP request over a keep-alive agent; the body parsed as JSON when there is one. */
export function call(agent: Agent, port: number, method: string, path: string, auth: Auth = {}, body?: unknown): Promise<{ status: number; body: Json | null }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(auth.token && { authorization: `Bearer ${auth.token}` }),
          ...(auth.key && { 'x-api-key': auth.key }),
          ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: Json | null;
          try {
            parsed = text ? (JSON.parse(text) as Json) : null;
          } catch {
            parsed = { text };
          }
          resolvePromise({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
