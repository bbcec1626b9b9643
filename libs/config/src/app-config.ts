import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';

export type NodeEnv = 'development' | 'test' | 'production';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value; // left as is so that @IsBoolean names the variable
};
const toInt = ({ value }: { value: unknown }): unknown => {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return value;
  return /^-?\d+$/.test(String(value)) ? Number(value) : value;
};
const urlOpts = { require_tld: false, require_protocol: true };

/**
 * The whole environment schema. Every setting the apps read is here, validated at boot: this
 * class (through `loadConfig`) is the only code that reads `process.env`.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: NodeEnv = 'development';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  WORKER_HEALTH_PORT = 3001;

  @IsUrl({ ...urlOpts, protocols: ['http', 'https'] })
  PUBLIC_URL = 'http://localhost:3000';

  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/fairshare';

  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE = 10;

  @IsString() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsString() @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may hold letters, digits, _ and - only' })
  QUEUE_PREFIX = 'fairshare';

  @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  @Transform(toInt) @IsInt() @Min(60) @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt) @IsInt() @Min(1) @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  @IsString() @Matches(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, { message: 'STRIPE_SECRET_KEY must look like sk_test_… or sk_live_…' })
  STRIPE_SECRET_KEY: string;

  @IsString() @Matches(/^whsec_[A-Za-z0-9_]+$/, { message: 'STRIPE_WEBHOOK_SECRET must look like whsec_…' })
  STRIPE_WEBHOOK_SECRET: string;

  /** Where the Stripe client goes; unset means Stripe itself. The launcher points it at the emulator. */
  @IsOptional() @IsUrl({ ...urlOpts, protocols: ['http', 'https'] })
  STRIPE_API_URL?: string;

  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

  @IsOptional() @IsString() @Matches(/^[^@\s]+@[^@\s]+$/, { message: 'ADMIN_EMAIL must be an email address' })
  ADMIN_EMAIL?: string;

  @IsOptional() @IsString() @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  @Transform(toBool) @IsBoolean()
  TEST_CLOCK_ENABLED = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Comma-separated origins allowed by CORS; empty = same origin only. */
  @IsString()
  CORS_ORIGINS = '';

  @IsString()
  STORAGE_DIR = '.data/storage';

  @Transform(toInt) @IsInt() @Min(1)
  CONTENT_MAX_BYTES = 200 * 1024 * 1024;

  /** GET /v1/works: how long a public search's "more than 1,000 match" answer is reused (0: never). */
  @Transform(toInt) @IsInt() @Min(0) @Max(300)
  SEARCH_CAPPED_TOTAL_TTL_SECONDS = 10;

  @Transform(toInt) @IsInt() @Min(1)
  USAGE_UPLOAD_MAX_BYTES = 2 * 1024 * 1024 * 1024;

  @Transform(toInt) @IsInt() @Min(1)
  WORKS_IMPORT_MAX_BYTES = 50 * 1024 * 1024;

  /** Ed25519 private key, PKCS#8 PEM, base64 in one line: signs licence manifests. */
  @IsString() @MinLength(40, { message: 'MANIFEST_SIGNING_KEY must be a base64-encoded PKCS#8 PEM Ed25519 key' })
  MANIFEST_SIGNING_KEY: string;

  /** Minimum payout per currency, in the currency's major unit ("10.00"). */
  @IsString() @Matches(/^\d+(\.\d+)?$/, { message: 'PAYOUT_MINIMUM_MAJOR must be a decimal like 10.00' })
  PAYOUT_MINIMUM_MAJOR = '10.00';

  /** Attempts of one payout item's job; retryable Stripe failures back off exponentially from PAYOUT_RETRY_DELAY_MS. */
  @Transform(toInt) @IsInt() @Min(1) @Max(50)
  PAYOUT_JOB_ATTEMPTS = 8;

  @Transform(toInt) @IsInt() @Min(1) @Max(3_600_000)
  PAYOUT_RETRY_DELAY_MS = 5000;

  @Transform(toBool) @IsBoolean()
  REGISTER_SHOW_PRICES = false;

  @Transform(toInt) @IsInt() @Min(1) @Max(10000)
  AUTH_RATE_LIMIT_PER_MINUTE = 10;

  @Transform(toInt) @IsInt() @Min(1) @Max(1000000)
  RATE_LIMIT_PER_MINUTE = 600;

  @Transform(toInt) @IsInt() @Min(1) @Max(64)
  WORKER_CONCURRENCY = 4;

  /** BullMQ job lock of the worker: a job whose worker died is retried once its lock expires (chaos tests lower it). */
  @Transform(toInt) @IsInt() @Min(1000) @Max(600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /** How often each BullMQ worker looks for stalled jobs (jobs whose lock expired). */
  @Transform(toInt) @IsInt() @Min(500) @Max(600_000)
  WORKER_STALLED_INTERVAL_MS = 30_000;

  /** How often the worker re-enqueues usage reports left `received`/`processing` (a lost job cannot strand one). */
  @Transform(toInt) @IsInt() @Min(200) @Max(3_600_000)
  USAGE_SWEEP_INTERVAL_MS = 60_000;

  /** How often the worker re-enqueues Stripe events stored `received`/`failed` but not applied (a lost job). */
  @Transform(toInt) @IsInt() @Min(200) @Max(3_600_000)
  STRIPE_EVENTS_SWEEP_INTERVAL_MS = 60_000;

  /** A stored Stripe event is swept only once it is older than this (its own job normally runs first). */
  @Transform(toInt) @IsInt() @Min(0) @Max(86_400_000)
  STRIPE_EVENTS_SWEEP_MIN_AGE_MS = 30_000;

  // Test-runner settings (read by libs/testing; unused by the apps).
  @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'TEST_DATABASE_URL must be a postgres:// URL' })
  TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

  @IsString() @Matches(/^rediss?:\/\//, { message: 'TEST_REDIS_URL must be a redis:// URL' })
  TEST_REDIS_URL = 'redis://127.0.0.1:6379';

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);
  }
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
  }
}

/** Secrets that development and test may generate; production must set them. */
const GENERATED_IN_DEVELOPMENT = ['JWT_SECRET', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'MANIFEST_SIGNING_KEY'] as const;

function developmentSecret(name: (typeof GENERATED_IN_DEVELOPMENT)[number]): string {
  switch (name) {
    case 'JWT_SECRET':
      return randomBytes(32).toString('hex');
    case 'STRIPE_SECRET_KEY':
      return 'sk_test_emulator';
    case 'STRIPE_WEBHOOK_SECRET':
      return 'whsec_' + randomBytes(24).toString('hex');
    case 'MANIFEST_SIGNING_KEY': {
      const { privateKey } = generateKeyPairSync('ed25519');
      return Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).toString('base64');
    }
  }
}

function flatten(errors: ValidationError[]): { variable: string; message: string }[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? { invalid: 'is invalid' }).map((message) => ({
      variable: e.property,
      message: message.startsWith(e.property) ? message.slice(e.property.length).trim() || message : message,
    })),
  );
}

/**
 * Validates an environment (by default `process.env`) into an `AppConfig`, or throws a
 * `ConfigError` naming every bad variable. Unknown variables are ignored.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const raw: Record<string, string> = {};
  const known = new Set(Object.keys(new AppConfig()).concat(GENERATED_IN_DEVELOPMENT as unknown as string[]));
  for (const [k, v] of Object.entries(env)) if (known.has(k) && v !== undefined && v !== '') raw[k] = v;

  const nodeEnv = raw.NODE_ENV ?? 'development';
  if (nodeEnv !== 'production') {
    for (const name of GENERATED_IN_DEVELOPMENT) raw[name] ??= developmentSecret(name);
  }
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const missingSecrets = new Set<string>(GENERATED_IN_DEVELOPMENT.filter((name) => !raw[name]));
  // A missing production secret gets one clear line rather than class-validator's format notes.
  const problems = flatten(validateSync(config)).filter((p) => !missingSecrets.has(p.variable));
  for (const name of missingSecrets) problems.push({ variable: name, message: 'is required in production' });
  if (config.NODE_ENV === 'production' && config.TEST_CLOCK_ENABLED) {
    problems.push({ variable: 'TEST_CLOCK_ENABLED', message: 'must not be true when NODE_ENV=production' });
  }
  const unique = problems;
  if (unique.length > 0) throw new ConfigError(unique);
  return config;
}
