import { TestRedis } from '../test/processes';
import { ApiProcess, cpuSeconds, peakRssMiB, startApi } from './api-process';
import { argValue, positiveInt, recreateDatabase } from './generate';

/**
 * Spec §8 / issue point 4: a flood of wrong passwords at POST /auth/login, against the real process (started
 * here on 127.0.0.1 with its own redis-server; only loopback traffic). Three floods, each bounded in count and
 * time: (a) one username from one address, (b) many usernames from one address (password spraying), (c) one
 * username from many addresses (X-Forwarded-For, believed with TRUST_PROXY=loopback). Each reports attempts/s,
 * 401s (a password was hashed) against 429s (refused before hashing), and the server's CPU time. The same
 * floods against a process whose limits are out of reach (1,000,000) show what the CPU alone would allow.
 * Options: --requests N (2000), --concurrency N (16), --max-seconds S (20) per flood; BENCH_LOGIN_DATABASE_URL
 * (postgres://postgres@127.0.0.1:5432/capaian_bench_login, dropped and recreated).
 */
const REQUESTS = positiveInt(argValue(process.argv, 'requests') ?? process.env.BENCH_LOGIN_REQUESTS, '--requests') ?? 2000;
const CONCURRENCY = positiveInt(argValue(process.argv, 'concurrency') ?? process.env.BENCH_LOGIN_CONCURRENCY, '--concurrency') ?? 16;
const MAX_SECONDS = positiveInt(argValue(process.argv, 'max-seconds') ?? process.env.BENCH_LOGIN_MAX_SECONDS, '--max-seconds') ?? 20;
const DB_URL = process.env.BENCH_LOGIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/capaian_bench_login';

interface Result {
  flood: string;
  attempts: number;
  seconds: number;
  perSecond: number;
  hashed401: number;
  refused429: number;
  other: number;
  cpuSeconds: number;
  cpuMsPerAttempt: number;
  /** Since the server started, so it includes the floods before. */
  peakRssMiB: number;
}

/** Sends up to REQUESTS wrong logins, CONCURRENCY at a time, for at most MAX_SECONDS. */
async function flood(server: ApiProcess, name: string, attempt: (i: number) => { username: string; from: string }): Promise<Result> {
  const counts = { 401: 0, 429: 0, other: 0 };
  let next = 0;
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const cpu0 = cpuSeconds(server.pid);
  const t0 = performance.now();
  const worker = async () => {
    while (next < REQUESTS && Date.now() < deadline) {
      const { username, from } = attempt(next++);
      const res = await fetch(`${server.base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({ username, password: 'wrong-password-123' }),
      });
      await res.arrayBuffer();
      if (res.status === 401 || res.status === 429) counts[res.status]++;
      else counts.other++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(server.pid) - cpu0;
  const attempts = counts[401] + counts[429] + counts.other;
  return {
    flood: name,
    attempts,
    seconds: round(seconds, 2),
    perSecond: Math.round(attempts / seconds),
    hashed401: counts[401],
    refused429: counts[429],
    other: counts.other,
    cpuSeconds: round(cpu, 2),
    cpuMsPerAttempt: round((cpu * 1000) / attempts, 2),
    peakRssMiB: peakRssMiB(server.pid),
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

async function floods(server: ApiProcess, tag: string): Promise<Result[]> {
  // Documentation ranges (RFC 5737): only ever header values; every request goes to 127.0.0.1.
  return [
    await flood(server, `${tag} (a) one username, one address`, () => ({ username: `${tag}-victim-a`, from: '198.51.100.1' })),
    await flood(server, `${tag} (b) many usernames, one address`, (i) => ({ username: `${tag}-user-${i}`, from: '198.51.100.2' })),
    await flood(server, `${tag} (c) one username, many addresses`, (i) => ({
      username: `${tag}-victim-c`,
      from: `203.0.${113 + Math.floor(i / 250)}.${(i % 250) + 1}`,
    })),
  ];
}

async function main(): Promise<void> {
  await recreateDatabase(DB_URL);
  const redis = await TestRedis.start();
  const results: Result[] = [];
  try {
    for (const [tag, limits] of [
      ['limited', {}], // the defaults: 10 per address and username, 20 per username, 50 per address, per 60 s
      ['unlimited', { LOGIN_THROTTLE_LIMIT: '1000000', LOGIN_THROTTLE_USERNAME_LIMIT: '1000000', LOGIN_THROTTLE_ADDRESS_LIMIT: '1000000' }],
    ] as const) {
      const server = await startApi(DB_URL, redis.url, { TRUST_PROXY: 'loopback', ...limits });
      try {
        results.push(...(await floods(server, tag)));
      } finally {
        await server.stop();
      }
    }
  } finally {
    await redis.stop();
  }
  console.log(`POST /auth/login wrong-password floods: ≤ ${REQUESTS} requests or ${MAX_SECONDS} s each, ${CONCURRENCY} at a time`);
  console.table(results);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
