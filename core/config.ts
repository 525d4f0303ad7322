/**
 * The one place the environment is read. Every port, address and duration is a variable here; the
 * schema gives it a default, and a bad value stops the process with a message naming the variable.
 */
import os from 'node:os';
import path from 'node:path';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { bool, duration, nameList, optionalString, port, positiveInt } from './config-types';
import { buildKafkaConfig, kafkaEnv, kafkaEnvProblems } from './config-kafka';
import { limitsAndOpsEnv } from './config-limits';
import { buildTracingConfig, tracingEnv } from './config-tracing';
import { buildTriageConfig, triageEnv } from './config-triage';
import { EMBEDDING_MODELS, modelDir, type EmbeddingModelName } from './embedding/models';

const repoRoot = path.resolve(__dirname, '..');
/** The guardrail head reads with bge-small, chosen over MiniLM and e5 by cross-validation (docs/guardrail.md);
 * a head is trained for one encoder, so this changes only with a retrained head. */
const GUARDRAIL_ENCODER: EmbeddingModelName = 'bge-small-en-v15-q';
const GUARDRAIL_ENCODER_VERSION = EMBEDDING_MODELS[GUARDRAIL_ENCODER].defaultVersion;
/** The shortest user id secret: an HMAC key as strong as the JWT keys (gateway/auth/keys.ts). */
export const USER_ID_SECRET_MIN_BYTES = 32;
/** Outside production only, where the pseudonyms need be stable but not unguessable (gateway/auth/keys.ts). */
export const DEV_USER_ID_SECRET = 'ticketflow-development-user-id-secret-not-for-production';

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),

  TICKETFLOW_TOOLS_DIR: z
    .string()
    .default(path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ticketflow')),
  TICKETFLOW_DATA_DIR: z.string().default(path.join(repoRoot, 'data')),

  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_HOST: z.string().default('127.0.0.1'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('tickets'),
  TEMPORAL_BIN: optionalString,
  TEMPORAL_TEST_SERVER_BIN: optionalString,
  /** How long a person's action waits for a worker to take it before the caller is told to retry (503). */
  TICKET_ACCEPT_TIMEOUT: duration.default(30_000),
  /** How long an accepted action holds its caller before the answer is "accepted, still applying" (202). */
  TICKET_APPLY_TIMEOUT: duration.default(20_000),
  /** A Chrome/Chromium binary for the browser tests (found or installed by the test harness when unset). */
  CHROMIUM_PATH: optionalString,

  ...kafkaEnv,

  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port.default(8080),
  GATEWAY_INSTANCE_ID: z.string().default(`${os.hostname()}-${process.pid}`),
  GATEWAY_PUBLIC_URL: optionalString,
  JWT_ALGORITHM: z.enum(['HS256', 'HS384', 'HS512', 'RS256', 'ES256']).default('HS256'),
  JWT_SECRET: optionalString,
  JWT_PUBLIC_KEY: optionalString,
  JWT_PRIVATE_KEY: optionalString,
  JWT_AUDIENCE: z.string().default('ticketflow'),
  JWT_ISSUER: z.string().default('ticketflow-auth'),
  JWT_CLOCK_TOLERANCE: duration.default(10_000),
  JWT_MAX_TOKEN_BYTES: positiveInt.default(4096),
  WS_TICKET_TTL: duration.default(60_000),
  /** ws-tickets: HMAC key (32+ bytes, one for all instances; else the JWT key); used ids on PostgreSQL (else SQLite). */
  WS_TICKET_SECRET: optionalString,
  WS_TICKET_DATABASE_URL: optionalString,
  /** Keys the pseudonyms of subjects that are personal data (core/user-ids.ts); changing it changes those ids. */
  USER_ID_SECRET: optionalString.refine(
    (v) => v === undefined || Buffer.byteLength(v) >= USER_ID_SECRET_MIN_BYTES,
    `must be at least ${USER_ID_SECRET_MIN_BYTES} bytes`,
  ),
  DESK_DATABASE_URL: optionalString, // the desk's assignments and presence (else SQLite in the data dir)
  SESSION_TTL: duration.default(300_000),
  /** How often each gateway samples the open queues for the analytics' queue sizes over time (the bucket). */
  QUEUE_SAMPLE_INTERVAL: duration.pipe(z.number().min(1000, 'must be 1s or more')).default(15 * 60_000),
  WS_PING_INTERVAL: duration.default(30_000),
  WS_MAX_BACKPRESSURE_BYTES: positiveInt.default(1024 * 1024),
  WS_MAX_PAYLOAD_BYTES: positiveInt.default(16 * 1024),
  WS_COMPRESSION: bool.default(false),
  DEV_IDENTITY: bool.default(false),
  METRICS_TOKEN: optionalString, // when set, /metrics wants `Authorization: Bearer <it>`
  ...limitsAndOpsEnv,
  ...tracingEnv,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  LLM_TIMEOUT: duration.default(30_000),

  ...triageEnv,
  /** The reply guardrail: `meaning` (the head; the rules when its encoder is not installed) caught 46 of 70 of the
   * unseen tenth set (the rules 6) and flagged 3 of 70 benign sentences (4.3 %, the rules 3), so by the adoption
   * rule fixed before that run it is the default (docs/guardrail.md); `rules` for the word rules alone. */
  GUARDRAIL_MODEL: z.enum(['rules', 'meaning']).default('meaning'),
  /** Where the guardrail head's encoder (GUARDRAIL_ENCODER: the one its shipped head was trained on) is unpacked. */
  GUARDRAIL_EMBEDDING_DIR: optionalString,

  SOPS_DIR: z.string().default(path.join(repoRoot, 'sops')),
  SOP_SCORE_FLOOR: z.coerce.number().min(0).default(3), // calibrated on normalised BM25 (activities/knowledge): off-topic < 2.6, weak on-topic >= 3
  MEMORY_DATABASE_URL: optionalString,
  /** The versioned SOP store on PostgreSQL (shared by every worker and the gateway); SQLite in the data dir when unset. */
  SOP_DATABASE_URL: optionalString,
  ORG_ALERT_DISTINCT_USERS: positiveInt.default(10),
  ORG_ALERT_WINDOW: duration.default(7 * 24 * 3600_000),

  REVIEW_SLA: duration.default(4 * 3600_000),
  AFTER_RUNNER_DELAY: duration.default(10 * 60_000),
  FEEDBACK_WINDOW: duration.default(3 * 24 * 3600_000),
  MAX_REDRAFTS: positiveInt.default(3),

  /** Action policy (activities/policy): caps in cents, ages and windows as durations. */
  REFUND_MAX_CENTS: positiveInt.default(10_000),
  REFUND_TICKET_MAX_CENTS: positiveInt.default(20_000),
  REFUND_MAX_AGE: duration.default(60 * 24 * 3600_000),
  DUPLICATE_CHARGE_WINDOW: duration.default(24 * 3600_000),
  ACTIONS_UNATTENDED: nameList(
    ['revoke_credentials', 'duplicate_refund', 'refund', 'account_change'],
    'revoke_credentials,duplicate_refund',
  ),

  /** Region for phone numbers written without a country code (ISO 3166 alpha-2, e.g. US, GB, DE). */
  PII_DEFAULT_REGION: z
    .string()
    .transform((v) => v.trim().toUpperCase())
    .refine((v) => isSupportedCountry(v), 'must be a region code libphonenumber knows (e.g. US, GB, DE)')
    .default('US'),
  /** Person names in redaction: off by default (no checksum confirms a name, so it over-redacts more). */
  PII_NAMES: bool.default(false),
  /** Worker threads that run detection off the gateway's event loop. */
  PII_WORKERS: positiveInt.max(16).default(2),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment; throws ConfigError naming each bad variable. */
export function parseEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const problems = kafkaEnvProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

export function buildConfig(env: Env) {
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    toolsDir: env.TICKETFLOW_TOOLS_DIR,
    dataDir: env.TICKETFLOW_DATA_DIR,
    temporal: {
      /**
       * Set when an existing cluster is used; the scripts start nothing then. The local default address itself
       * (what `npm run infra -- env` exports) still means the local server, which the scripts may restart.
       */
      external:
        env.TEMPORAL_ADDRESS !== undefined && env.TEMPORAL_ADDRESS !== `${env.TEMPORAL_HOST}:${env.TEMPORAL_PORT}`,
      address: env.TEMPORAL_ADDRESS ?? `${env.TEMPORAL_HOST}:${env.TEMPORAL_PORT}`,
      host: env.TEMPORAL_HOST,
      port: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      uiUrl: env.TEMPORAL_UI_URL ?? `http://${env.TEMPORAL_HOST}:${env.TEMPORAL_UI_PORT}`,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      bin: env.TEMPORAL_BIN,
      testServerBin: env.TEMPORAL_TEST_SERVER_BIN,
      acceptTimeoutMs: env.TICKET_ACCEPT_TIMEOUT,
      applyTimeoutMs: env.TICKET_APPLY_TIMEOUT,
    },
    kafka: buildKafkaConfig(env),
    gateway: {
      host: env.GATEWAY_HOST,
      port: env.GATEWAY_PORT,
      instanceId: env.GATEWAY_INSTANCE_ID,
      publicUrl: env.GATEWAY_PUBLIC_URL ?? `http://${env.GATEWAY_HOST}:${env.GATEWAY_PORT}`,
      sessionTtlMs: env.SESSION_TTL,
      pingIntervalMs: env.WS_PING_INTERVAL,
      maxBackpressureBytes: env.WS_MAX_BACKPRESSURE_BYTES,
      maxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
      compression: env.WS_COMPRESSION,
      wsTicketTtlMs: env.WS_TICKET_TTL,
      wsTicketDatabaseUrl: env.WS_TICKET_DATABASE_URL,
      deskDatabaseUrl: env.DESK_DATABASE_URL,
      queueSampleMs: env.QUEUE_SAMPLE_INTERVAL,
      metricsToken: env.METRICS_TOKEN,
      devIdentity: env.DEV_IDENTITY,
    },
    jwt: {
      algorithm: env.JWT_ALGORITHM,
      secret: env.JWT_SECRET,
      publicKey: env.JWT_PUBLIC_KEY,
      privateKey: env.JWT_PRIVATE_KEY,
      wsTicketSecret: env.WS_TICKET_SECRET,
      audience: env.JWT_AUDIENCE,
      issuer: env.JWT_ISSUER,
      clockToleranceMs: env.JWT_CLOCK_TOLERANCE,
      maxTokenBytes: env.JWT_MAX_TOKEN_BYTES,
      userIdSecret: env.USER_ID_SECRET ?? (env.NODE_ENV === 'production' ? undefined : DEV_USER_ID_SECRET),
      refresh: { ttlMs: env.ACCESS_TOKEN_TTL, sessionMaxAgeMs: env.SESSION_MAX_AGE },
    },
    limits: {
      tickets: env.RATE_LIMIT_TICKETS,
      messages: env.RATE_LIMIT_MESSAGES,
      feedback: env.RATE_LIMIT_FEEDBACK,
      streams: env.RATE_LIMIT_STREAMS,
      maxStreams: env.MAX_STREAMS_PER_PRINCIPAL,
      streamLeaseMs: env.STREAM_LEASE_TTL,
      store: env.RATE_LIMIT_STORE,
      databaseUrl: env.RATE_LIMIT_DATABASE_URL ?? env.WS_TICKET_DATABASE_URL,
      idempotencyKeyTtlMs: env.IDEMPOTENCY_KEY_TTL,
    },
    tracing: buildTracingConfig(env),
    worker: { opsHost: env.WORKER_OPS_HOST, opsPort: env.WORKER_OPS_PORT, sdkMetricsPort: env.WORKER_SDK_METRICS_PORT },
    llm: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      timeoutMs: env.LLM_TIMEOUT,
    },
    chromiumPath: env.CHROMIUM_PATH,
    triage: buildTriageConfig(env, env.TICKETFLOW_TOOLS_DIR),
    guardrail: {
      model: env.GUARDRAIL_MODEL,
      embeddingModel: GUARDRAIL_ENCODER,
      embeddingVersion: GUARDRAIL_ENCODER_VERSION,
      embeddingDir:
        env.GUARDRAIL_EMBEDDING_DIR ??
        modelDir(env.TICKETFLOW_TOOLS_DIR, EMBEDDING_MODELS[GUARDRAIL_ENCODER], GUARDRAIL_ENCODER_VERSION),
    },
    knowledge: { sopsDir: env.SOPS_DIR, scoreFloor: env.SOP_SCORE_FLOOR, databaseUrl: env.SOP_DATABASE_URL },
    memory: {
      databaseUrl: env.MEMORY_DATABASE_URL,
      orgAlertDistinctUsers: env.ORG_ALERT_DISTINCT_USERS,
      orgAlertWindowMs: env.ORG_ALERT_WINDOW,
    },
    pii: { defaultRegion: env.PII_DEFAULT_REGION, names: env.PII_NAMES, workers: env.PII_WORKERS },
    ticket: {
      reviewSlaMs: env.REVIEW_SLA,
      afterRunnerDelayMs: env.AFTER_RUNNER_DELAY,
      feedbackWindowMs: env.FEEDBACK_WINDOW,
      maxRedrafts: env.MAX_REDRAFTS,
    },
    actions: {
      refundMaxCents: env.REFUND_MAX_CENTS,
      refundTicketMaxCents: env.REFUND_TICKET_MAX_CENTS,
      refundMaxAgeMs: env.REFUND_MAX_AGE,
      duplicateWindowMs: env.DUPLICATE_CHARGE_WINDOW,
      unattended: env.ACTIONS_UNATTENDED,
    },
  };
}

export type Config = ReturnType<typeof buildConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return buildConfig(parseEnv(env));
}

let cached: Config | undefined;

/**
 * The process's config, validated once. A bad value ends the process here with the variable's name,
 * rather than surfacing later as a confusing connection error.
 */
export function config(): Config {
  if (cached) return cached;
  try {
    cached = loadConfig();
    return cached;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ticketflow: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
