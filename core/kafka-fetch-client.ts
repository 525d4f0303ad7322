/**
 * Connection settings for the @platformatic/kafka clients (the gateway's record consumer, whose fetch path
 * costs less CPU per record than kafkajs's: docs/benchmarks.md, issue 15). Built from the same validated
 * KAFKA_* settings as every kafkajs client (core/kafka.ts), so one configuration secures both: the brokers,
 * SASL and TLS here are those the workers publish with.
 */
import type { BaseOptions, SASLOptions } from '@platformatic/kafka';
import type { Config } from './config';
import { kafkaTlsOptions } from './kafka-tls';

const MECHANISMS = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' } as const;

export interface FetchClientTiming {
  /** A broker that does not accept the connection in this long is a failure (kafkajs's connectionTimeout). */
  connectTimeoutMs: number;
  /** A request unanswered this long (a hung broker) is a failure; it must exceed the fetch's long-poll wait. */
  requestTimeoutMs: number;
  /** The client's own retries of a retriable error, before the caller's supervisor takes over. */
  retries: number;
  retryDelayMs: number;
}

export function fetchClientOptions(cfg: Config['kafka'], timing: FetchClientTiming): BaseOptions {
  const { sasl, tls } = cfg.security;
  const saslOptions: SASLOptions | undefined = sasl
    ? { mechanism: MECHANISMS[sasl.mechanism], username: sasl.username, password: sasl.password }
    : undefined;
  return {
    clientId: cfg.clientId,
    bootstrapBrokers: cfg.brokers,
    connectTimeout: timing.connectTimeoutMs,
    requestTimeout: timing.requestTimeoutMs,
    timeout: timing.requestTimeoutMs,
    retries: timing.retries,
    retryDelay: timing.retryDelayMs,
    sasl: saslOptions,
    tls: kafkaTlsOptions(tls),
  };
}
