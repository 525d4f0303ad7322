/**
 * The part of the environment schema (core/config.ts) for per-principal budgets and the worker's ops port,
 * spread into it there; kept here so the main schema stays one screenful per concern.
 */
import { z } from 'zod';
import { budget } from './budget';
import { duration, optionalString, port, positiveInt } from './config-types';

export const limitsAndOpsEnv = {
  /** Per principal, "N/window": a token bucket of N that refills at N per window. */
  RATE_LIMIT_TICKETS: budget.default({ points: 20, windowMs: 60_000 }),
  RATE_LIMIT_MESSAGES: budget.default({ points: 60, windowMs: 60_000 }),
  RATE_LIMIT_FEEDBACK: budget.default({ points: 20, windowMs: 60_000 }),
  RATE_LIMIT_STREAMS: budget.default({ points: 300, windowMs: 60_000 }),
  /** Open streams one principal may hold, counted across every instance sharing the limits store. */
  MAX_STREAMS_PER_PRINCIPAL: positiveInt.default(200),
  /**
   * How long an open stream's lease in that count lasts unless its gateway renews it (every third of it): the
   * slots of a gateway killed without draining come back after this.
   */
  STREAM_LEASE_TTL: duration.refine((ms) => ms >= 1_000, 'must be at least 1s').default(30_000),
  /** Where the buckets live: `shared` = PostgreSQL by URL (else WS_TICKET_DATABASE_URL), else SQLite in the data dir. */
  RATE_LIMIT_STORE: z.enum(['shared', 'memory']).default('shared'),
  RATE_LIMIT_DATABASE_URL: optionalString,
  /**
   * How long an Idempotency-Key stays bound to the request it was first sent with (in the same store as the
   * buckets): within it the same key with another request is refused (422); past it the key is free again.
   * Stripe keeps keys 24 hours; the console resends a key for about 2 minutes.
   */
  IDEMPOTENCY_KEY_TTL: duration.refine((ms) => ms >= 1_000, 'must be at least 1s').default(24 * 3600_000),
  /**
   * `POST /v1/session/refresh`: a fresh access token lives this long, and a chain of refreshes no longer than
   * this after the sign-in that began it (the `auth_time` claim, else the first token's `iat`).
   */
  ACCESS_TOKEN_TTL: duration.default(15 * 60_000),
  SESSION_MAX_AGE: duration.default(12 * 3600_000),
  /** The worker's /healthz, /readyz and /metrics (0: any free port). A port already taken is logged, not fatal. */
  WORKER_OPS_HOST: z.string().default('127.0.0.1'),
  WORKER_OPS_PORT: port.default(9464),
  /** The Temporal SDK's own Prometheus exporter (pollers, task latencies, slots), beside the ops port; unset: off. */
  WORKER_SDK_METRICS_PORT: port.optional(),
};
