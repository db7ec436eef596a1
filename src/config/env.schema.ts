import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return value;
};
/** false | true | hop count | comma-separated addresses, subnets or Express names (loopback, uniquelocal, …). */
const toTrustProxy = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', 'yes'].includes(v)) return true;
  if (['false', 'no', '0', ''].includes(v)) return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
};
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** The raw environment as the service accepts it. Every variable is documented in .env.example. */
export class EnvSchema {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_EXPIRES_IN = 3600;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  PRINCIPAL_CACHE_MS = 5000;

  @IsString()
  @Matches(/^[a-z0-9._-]{3,64}$/, { message: 'must be 3-64 characters of a-z, 0-9, dot, dash or underscore' })
  ADMIN_USERNAME = 'admin';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 2mb' })
  BODY_LIMIT = '1mb';

  /** Bulk imports carry up to 5000 rows; they get their own, larger limit. */
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 10mb' })
  IMPORT_BODY_LIMIT = '10mb';

  /** Checked in loadConfig: each listed entry must be an address, a subnet or an Express name. */
  @Transform(toTrustProxy)
  TRUST_PROXY: boolean | number | string[] = false;

  /** Failed logins per client address and username within LOGIN_THROTTLE_TTL_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_LIMIT = 10;

  /** Failed logins per username from all client addresses together (spec §8). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_USERNAME_LIMIT = 20;

  /** Failed logins per client address over all usernames together (spec §8). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_ADDRESS_LIMIT = 50;

  /** Lets the queue dashboard (/admin/queues) retry, clean, pause or remove jobs; read-only otherwise. */
  @Transform(toBool)
  @IsBoolean()
  QUEUE_DASHBOARD_WRITE = false;

  /** Bearer token for GET /metrics on the API port (Prometheus); unset with METRICS_PORT unset: /metrics answers 404. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  METRICS_TOKEN?: string;

  /** Serve /metrics on this port of METRICS_HOST instead of the API port (no token needed there unless METRICS_TOKEN is set). */
  @Transform((p) => toInt({ value: emptyToUndefined(p) }))
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** The address METRICS_PORT listens on; unset: HOST. A port without a token belongs on an address Prometheus alone reaches. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  METRICS_HOST?: string;

  /** Requests per minute per client IP and endpoint to the endpoints that need no login (feedback intake, /public/*). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  PUBLIC_THROTTLE_LIMIT = 120;

  /** Citizen feedback without a service ticket allowed per client IP within FEEDBACK_IP_WINDOW_SECONDS (spec §4). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  FEEDBACK_IP_LIMIT = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  FEEDBACK_IP_WINDOW_SECONDS = 600;

  /** Submissions about one employee within an hour beyond which the rest are HELD for moderation (spec §4). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  FEEDBACK_EMPLOYEE_BURST = 20;

  /** Service tickets one user or API key may issue per WITA day (spec §8 rule 5). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  FEEDBACK_TICKETS_PER_ISSUER_DAY = 500;

  /** Service tickets naming one officer per WITA day, whoever issues them (spec §8 rule 5). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  FEEDBACK_TICKETS_PER_OFFICER_DAY = 20;

  /** Key of the HMAC that hashes feedback contacts and client IPs; changing it forgets past duplicates. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  FEEDBACK_HASH_KEY?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_TTL_SECONDS = 60;

  @Transform(toBool)
  @IsBoolean()
  DATABASE_MIGRATIONS_RUN = true;

  /** Run the recalculation worker in this process (the API by default; `npm run start:worker` runs it alone). */
  @Transform(toBool)
  @IsBoolean()
  RECALC_WORKER = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  RECALC_CONCURRENCY = 32;

  /** Nightly batch for OPEN and EVALUATION periods, in Denpasar time (WITA); empty disables it. */
  @IsString()
  @Matches(/^$|^(\S+\s+){4,5}\S+$/, { message: 'must be a cron expression with 5 or 6 fields, or empty' })
  RECALC_CRON = '0 2 * * *';

  @Transform(toInt)
  @IsInt()
  @Min(10)
  RECALC_RELAY_INTERVAL_MS = 250;

  /** Marks enqueued longer ago than this are enqueued again (Redis lost, job failed, worker killed). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  RECALC_SWEEP_AFTER_MS = 60000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5000)
  /** Per-chunk costs are fixed (queries, commit): 2000 measured 0.65 s against 0.83 s at 500 (bench/README.md). */
  RECALC_BATCH_CHUNK = 2000;

  /**
   * Chunks of a batch in flight at once, each in its own transaction and connection: the database works on some while
   * this process computes another. On 2 cores, 3 measured 1.28–1.36 × the SQL floor against 1.51–1.91 for 2 (bench/README.md).
   * At most 6: two batches running at once then hold 12 of the pool's 20 connections, leaving the rest to requests.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(6)
  RECALC_BATCH_PARALLEL = 3;

  /** Base64 of 32 bytes: the AES-256-GCM key of the webhook secrets at rest; unset: derived from JWT_SECRET. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  WEBHOOK_SECRET_KEY?: string;

  /** Hosts (names or IP literals, comma-separated) a webhook may target even when they resolve to a non-public address. */
  @IsString()
  WEBHOOK_ALLOWED_HOSTS = '';

  /** Delay before each retry of a failed delivery, e.g. `5s,5m,30m,2h,5h,10h,10h`; one retry per entry. */
  @IsString()
  @Matches(/^\s*\d+(ms|s|m|h)\s*(,\s*\d+(ms|s|m|h)\s*)*$/, { message: 'must be a comma list of durations such as 5s,5m,2h (units ms, s, m, h)' })
  WEBHOOK_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  WEBHOOK_TIMEOUT_MS = 15000;

  /** Deliveries in flight at once per endpoint, so one slow receiver cannot hold up the others. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_ENDPOINT_CONCURRENCY = 4;

  /** Deliveries this process sends at once (the `webhooks` queue's concurrency, or in process without Redis). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  WEBHOOK_WORKER_CONCURRENCY = 32;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  WEBHOOK_RELAY_INTERVAL_MS = 1000;

  /** Deliveries enqueued longer ago than this with no attempt finished since are enqueued again (Redis lost the job). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  WEBHOOK_SWEEP_AFTER_MS = 120000;

  /**
   * A download (SIASN rows, results workbook) whose client has read nothing for this long while bytes wait for it is
   * ended, so that its database connection goes back to the pool.
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  EXPORT_IDLE_TIMEOUT_MS = 30000;

  /**
   * A download that is still running this long after it started is ended however steadily its client reads: a slow
   * reader would otherwise hold its slot, its connection and its snapshot (which holds back vacuum) indefinitely.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  EXPORT_MAX_DURATION_MS = 600000;

  /**
   * Downloads this process streams at once; each holds a connection of the pool (20, data-source-options.ts) until it
   * ends. At most 6: with two recalculation batches (12 connections) that still leaves some to the other requests.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(6)
  EXPORT_CONCURRENCY = 4;
}
