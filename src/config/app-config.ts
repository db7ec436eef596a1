import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { EnvSchema, NodeEnv } from './env.schema';

export interface AppConfig {
  nodeEnv: NodeEnv;
  http: { host: string; port: number; bodyLimit: string; importBodyLimit: string; trustProxy: boolean | number | string[] };
  database: { url?: string; embedded: { dir: string; port: number }; migrationsRun: boolean };
  redis: { url?: string };
  recalculation: {
    worker: boolean;
    concurrency: number;
    cron: string;
    relayIntervalMs: number;
    sweepAfterMs: number;
    batchChunk: number;
    /** Chunks of a batch run at once (RECALC_BATCH_PARALLEL). */
    batchParallel: number;
    /** The queue dashboard may act on jobs (QUEUE_DASHBOARD_WRITE); read-only otherwise. */
    dashboardWrite: boolean;
  };
  auth: {
    jwtSecret: string;
    jwtExpiresIn: number;
    /** How long a verified token's or key's principal is reused without a query; 0: never (PRINCIPAL_CACHE_MS). */
    principalCacheMs: number;
    adminUsername: string;
    adminPassword: string;
    /** Failed logins: per address and username, per username, per address; within one window. */
    loginThrottle: { limit: number; usernameLimit: number; addressLimit: number; ttlSeconds: number };
    /** Per minute and client IP, on the endpoints without login. */
    publicThrottleLimit: number;
  };
  feedback: {
    ipLimit: number;
    ipWindowSeconds: number;
    employeeBurst: number;
    hashKey: string;
    /** Service tickets per WITA day: per issuer, and naming one officer. */
    ticketsPerIssuerDay: number;
    ticketsPerOfficerDay: number;
  };
  /**
   * GET /metrics (Prometheus): on the API port behind `token` (METRICS_TOKEN), or on a port of its own (METRICS_PORT, on
   * `host`: METRICS_HOST, else the API's listen host); neither: disabled.
   */
  metrics: { token?: string; port?: number; host: string };
  logLevel: string;
  /** Variables that fell back to development defaults; logged once at boot. */
  warnings: string[];
  /** Webhook delivery (spec §10). */
  webhooks: {
    /** AES-256-GCM key of the endpoints' signing secrets at rest (WEBHOOK_SECRET_KEY, else derived from JWT_SECRET). */
    secretKey: Buffer;
    /** Lower-case host names or IP literals exempt from the address check (WEBHOOK_ALLOWED_HOSTS). */
    allowedHosts: string[];
    /** Delay before each retry, in ms. */
    retryScheduleMs: number[];
    timeoutMs: number;
    endpointConcurrency: number;
    workerConcurrency: number;
    relayIntervalMs: number;
    sweepAfterMs: number;
  };
  /** Period downloads (spec §10). */
  exports: {
    /** A download whose client has not read for this long is ended (EXPORT_IDLE_TIMEOUT_MS). */
    idleTimeoutMs: number;
    /** A download still running this long after it started is ended, however steadily it is read (EXPORT_MAX_DURATION_MS). */
    maxDurationMs: number;
    /** Downloads streamed at once by this process (EXPORT_CONCURRENCY); beyond: 503 exports-busy. */
    concurrency: number;
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The names Express accepts in `trust proxy`. */
const TRUST_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * Where to listen. The development admin password is public, so a process that uses it listens on loopback
 * only, whatever HOST says: a forgotten NODE_ENV must not put a known admin password on the network.
 */
export function listenHost(host: string, developmentPassword: boolean, variable = 'HOST'): { host: string; warning?: string } {
  if (!developmentPassword || isLoopback(host)) return { host };
  return {
    host: '127.0.0.1',
    warning: `listening on 127.0.0.1 only, not ${variable}=${host}: the first admin has the development password; set ADMIN_PASSWORD to listen on ${host}`,
  };
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m : `${e.property} ${m}`)),
  );
}

/**
 * Validates the environment once. Every bad variable is reported in one error; production refuses to
 * start without its secrets while development and test fall back to generated or well-known defaults.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Unset keys keep the defaults of EnvSchema; unrelated variables are ignored by the validator.
  const parsed = plainToInstance(EnvSchema, { ...env });
  const problems = flatten(validateSync(parsed, { forbidUnknownValues: false }));
  const warnings: string[] = [];
  const production = parsed.NODE_ENV === 'production';

  let jwtSecret = parsed.JWT_SECRET;
  if (!jwtSecret) {
    if (production) problems.push('JWT_SECRET is required in production');
    else {
      jwtSecret = randomBytes(32).toString('hex');
      warnings.push('JWT_SECRET is not set: using a random secret, tokens will not survive a restart');
    }
  }
  let adminPassword = parsed.ADMIN_PASSWORD;
  if (!adminPassword) {
    if (production) problems.push('ADMIN_PASSWORD is required in production');
    else {
      adminPassword = 'capaian-admin-dev';
      warnings.push(`ADMIN_PASSWORD is not set: the first admin "${parsed.ADMIN_USERNAME}" gets the development password "capaian-admin-dev"`);
    }
  }
  const listen = listenHost(parsed.HOST, !parsed.ADMIN_PASSWORD);
  if (listen.warning) warnings.push(listen.warning);
  // METRICS_HOST matters only with METRICS_PORT.
  const metricsListen =
    parsed.METRICS_HOST === undefined || parsed.METRICS_PORT === undefined ? listen : listenHost(parsed.METRICS_HOST, !parsed.ADMIN_PASSWORD, 'METRICS_HOST');
  if (metricsListen !== listen && metricsListen.warning) warnings.push(metricsListen.warning);
  if (Array.isArray(parsed.TRUST_PROXY)) {
    const bad = parsed.TRUST_PROXY.filter((entry) => !TRUST_NAMES.has(entry) && !isIP(entry.replace(/\/\d{1,3}$/, '')));
    if (bad.length) problems.push(`TRUST_PROXY has entries that are not an address, a subnet or ${[...TRUST_NAMES].join('/')}: ${bad.join(', ')}`);
  } else if (typeof parsed.TRUST_PROXY !== 'boolean' && typeof parsed.TRUST_PROXY !== 'number') {
    problems.push('TRUST_PROXY must be true, false, a hop count or a list of addresses');
  }
  if (!parsed.DATABASE_URL && production) {
    warnings.push('DATABASE_URL is not set in production: using the embedded PostgreSQL, meant for trials only');
  }
  if (parsed.METRICS_PORT !== undefined && parsed.METRICS_PORT === parsed.PORT) {
    problems.push('METRICS_PORT must differ from PORT (unset it to serve /metrics on the API port behind METRICS_TOKEN)');
  }
  let webhookKey: Buffer | undefined;
  if (parsed.WEBHOOK_SECRET_KEY !== undefined) {
    webhookKey = Buffer.from(parsed.WEBHOOK_SECRET_KEY, 'base64');
    if (webhookKey.length !== 32 || webhookKey.toString('base64') !== parsed.WEBHOOK_SECRET_KEY.trim()) {
      problems.push('WEBHOOK_SECRET_KEY must be the base64 of 32 bytes');
    }
  }
  if (parsed.WEBHOOK_SWEEP_AFTER_MS <= parsed.WEBHOOK_TIMEOUT_MS) {
    problems.push('WEBHOOK_SWEEP_AFTER_MS must exceed WEBHOOK_TIMEOUT_MS: a delivery still waiting for its answer would be sent again');
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    nodeEnv: parsed.NODE_ENV,
    http: {
      host: listen.host,
      port: parsed.PORT,
      bodyLimit: parsed.BODY_LIMIT,
      importBodyLimit: parsed.IMPORT_BODY_LIMIT,
      trustProxy: parsed.TRUST_PROXY,
    },
    database: {
      url: parsed.DATABASE_URL,
      embedded: { dir: resolve(parsed.EMBEDDED_PG_DIR), port: parsed.EMBEDDED_PG_PORT },
      migrationsRun: parsed.DATABASE_MIGRATIONS_RUN,
    },
    redis: { url: parsed.REDIS_URL },
    recalculation: {
      worker: parsed.RECALC_WORKER,
      concurrency: parsed.RECALC_CONCURRENCY,
      cron: parsed.RECALC_CRON.trim(),
      relayIntervalMs: parsed.RECALC_RELAY_INTERVAL_MS,
      sweepAfterMs: parsed.RECALC_SWEEP_AFTER_MS,
      batchChunk: parsed.RECALC_BATCH_CHUNK,
      batchParallel: parsed.RECALC_BATCH_PARALLEL,
      dashboardWrite: parsed.QUEUE_DASHBOARD_WRITE,
    },
    auth: {
      jwtSecret: jwtSecret!,
      jwtExpiresIn: parsed.JWT_EXPIRES_IN,
      principalCacheMs: parsed.PRINCIPAL_CACHE_MS,
      adminUsername: parsed.ADMIN_USERNAME,
      adminPassword: adminPassword!,
      loginThrottle: {
        limit: parsed.LOGIN_THROTTLE_LIMIT,
        usernameLimit: parsed.LOGIN_THROTTLE_USERNAME_LIMIT,
        addressLimit: parsed.LOGIN_THROTTLE_ADDRESS_LIMIT,
        ttlSeconds: parsed.LOGIN_THROTTLE_TTL_SECONDS,
      },
      publicThrottleLimit: parsed.PUBLIC_THROTTLE_LIMIT,
    },
    feedback: {
      ipLimit: parsed.FEEDBACK_IP_LIMIT,
      ipWindowSeconds: parsed.FEEDBACK_IP_WINDOW_SECONDS,
      employeeBurst: parsed.FEEDBACK_EMPLOYEE_BURST,
      // Derived from the JWT secret when unset, so a deployment has one secret less to manage.
      hashKey: parsed.FEEDBACK_HASH_KEY ?? createHmac('sha256', jwtSecret!).update('capaian:feedback-hash').digest('hex'),
      ticketsPerIssuerDay: parsed.FEEDBACK_TICKETS_PER_ISSUER_DAY,
      ticketsPerOfficerDay: parsed.FEEDBACK_TICKETS_PER_OFFICER_DAY,
    },
    metrics: { token: parsed.METRICS_TOKEN, port: parsed.METRICS_PORT, host: metricsListen.host },
    logLevel: parsed.LOG_LEVEL,
    warnings,
    webhooks: {
      // Derived from the JWT secret when unset, like FEEDBACK_HASH_KEY; rotating JWT_SECRET then needs WEBHOOK_SECRET_KEY set to the old derivation.
      secretKey: webhookKey ?? Buffer.from(hkdfSync('sha256', jwtSecret!, '', 'capaian:webhook-secrets', 32)),
      allowedHosts: parsed.WEBHOOK_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1'))
        .filter(Boolean),
      retryScheduleMs: parsed.WEBHOOK_RETRY_SCHEDULE.split(',').map(durationMs),
      timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
      endpointConcurrency: parsed.WEBHOOK_ENDPOINT_CONCURRENCY,
      workerConcurrency: parsed.WEBHOOK_WORKER_CONCURRENCY,
      relayIntervalMs: parsed.WEBHOOK_RELAY_INTERVAL_MS,
      sweepAfterMs: parsed.WEBHOOK_SWEEP_AFTER_MS,
    },
    exports: { idleTimeoutMs: parsed.EXPORT_IDLE_TIMEOUT_MS, maxDurationMs: parsed.EXPORT_MAX_DURATION_MS, concurrency: parsed.EXPORT_CONCURRENCY },
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `5s`, `200ms`, `2h` → milliseconds (the format is checked by EnvSchema). */
export function durationMs(text: string): number {
  const [, n, unit] = /^\s*(\d+)(ms|s|m|h)\s*$/.exec(text)!;
  return Number(n) * UNIT_MS[unit];
}
