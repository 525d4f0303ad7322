/**
 * The Kafka part of the environment schema (core/config.ts), spread into it there: brokers, topics, backoff,
 * and the optional SASL and TLS settings a secured cluster wants (every kafkajs client gets them through
 * core/kafka.ts). With ACLs on the broker these let only the worker's principal write `ticket-events`.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { bool, brokerList, duration, optionalString, port, positiveInt } from './config-types';

export const kafkaEnv = {
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_HOST: z.string().default('127.0.0.1'),
  KAFKA_PORT: port.default(9092),
  KAFKA_CONTROLLER_PORT: port.default(9093),
  KAFKA_VERSION: z.string().default('4.1.1'),
  KAFKA_CLIENT_ID: z.string().default('ticketflow'),
  KAFKA_TICKET_EVENTS_TOPIC: z.string().min(1).default('ticket-events'),
  KAFKA_ALERTS_TOPIC: z.string().min(1).default('alerts'),
  KAFKA_TOPIC_PARTITIONS: positiveInt.default(6),
  KAFKA_BACKOFF_INITIAL: duration.default(1_000),
  KAFKA_BACKOFF_MAX: duration.default(30_000),
  KAFKA_BREAKER_THRESHOLD: positiveInt.default(3),
  KAFKA_PROBE_INTERVAL: duration.default(1_000), // the gateway probes a broker it lost this often (0: wait the backoff)
  /**
   * The gateway consumer's fetch: the broker answers once it holds KAFKA_FETCH_MIN_BYTES of new records or
   * KAFKA_FETCH_MAX_WAIT has passed. The defaults answer at the first record (lowest latency, most fetches);
   * docs/benchmarks.md (issue 15, fifth round) has what a larger minimum trades.
   */
  KAFKA_FETCH_MIN_BYTES: positiveInt.default(1),
  KAFKA_FETCH_MAX_WAIT: duration.default(500),
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: positiveInt.default(1_048_576),
  /** SASL: unset (no authentication), `plain`, `scram-sha-256` or `scram-sha-512`; then a username and password. */
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: optionalString,
  KAFKA_SASL_PASSWORD: optionalString,
  /** TLS to the brokers; on by itself when a CA or client certificate is given. */
  KAFKA_TLS: bool.optional(),
  KAFKA_TLS_CA_FILE: optionalString, // PEM; the system's CAs when unset
  KAFKA_TLS_CERT_FILE: optionalString, // PEM client certificate (mutual TLS), with KAFKA_TLS_KEY_FILE
  KAFKA_TLS_KEY_FILE: optionalString,
  /** Off only for a test broker with a self-signed certificate and no CA file to trust it by. */
  KAFKA_TLS_REJECT_UNAUTHORIZED: bool.default(true),
};

type KafkaEnv = z.infer<z.ZodObject<typeof kafkaEnv>>;

/** Settings that are valid one by one but not together, each named by variable (empty: none). */
export function kafkaEnvProblems(env: KafkaEnv): string[] {
  const problems: string[] = [];
  const credentials = [env.KAFKA_SASL_USERNAME, env.KAFKA_SASL_PASSWORD];
  if (env.KAFKA_SASL_MECHANISM && credentials.some((v) => v === undefined))
    problems.push('KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: both are needed with KAFKA_SASL_MECHANISM');
  if (!env.KAFKA_SASL_MECHANISM && credentials.some((v) => v !== undefined))
    problems.push(
      'KAFKA_SASL_MECHANISM: needed with a SASL username or password (plain, scram-sha-256, scram-sha-512)',
    );
  if ((env.KAFKA_TLS_CERT_FILE === undefined) !== (env.KAFKA_TLS_KEY_FILE === undefined))
    problems.push(
      'KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE: a client certificate needs its key, and the key its certificate',
    );
  for (const name of ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE'] as const) {
    const file = env[name];
    if (file !== undefined && !fs.existsSync(file)) problems.push(`${name}: no file at ${file}`);
  }
  const files = env.KAFKA_TLS_CA_FILE ?? env.KAFKA_TLS_CERT_FILE;
  if (env.KAFKA_TLS === false && files !== undefined)
    problems.push('KAFKA_TLS: false, but a TLS CA or certificate file is set');
  return problems;
}

export interface KafkaSecurity {
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** File paths: core/kafka.ts reads them when it builds a client. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string; rejectUnauthorized: boolean };
}

export function buildKafkaConfig(env: KafkaEnv) {
  const tlsOn = env.KAFKA_TLS ?? (env.KAFKA_TLS_CA_FILE ?? env.KAFKA_TLS_CERT_FILE) !== undefined;
  const security: KafkaSecurity = {
    sasl: env.KAFKA_SASL_MECHANISM
      ? { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME!, password: env.KAFKA_SASL_PASSWORD! }
      : undefined,
    tls: tlsOn
      ? {
          caFile: env.KAFKA_TLS_CA_FILE,
          certFile: env.KAFKA_TLS_CERT_FILE,
          keyFile: env.KAFKA_TLS_KEY_FILE,
          rejectUnauthorized: env.KAFKA_TLS_REJECT_UNAUTHORIZED,
        }
      : undefined,
  };
  return {
    external: env.KAFKA_BROKERS !== undefined && env.KAFKA_BROKERS.join(',') !== `${env.KAFKA_HOST}:${env.KAFKA_PORT}`,
    brokers: env.KAFKA_BROKERS ?? [`${env.KAFKA_HOST}:${env.KAFKA_PORT}`],
    host: env.KAFKA_HOST,
    port: env.KAFKA_PORT,
    controllerPort: env.KAFKA_CONTROLLER_PORT,
    version: env.KAFKA_VERSION,
    clientId: env.KAFKA_CLIENT_ID,
    ticketEventsTopic: env.KAFKA_TICKET_EVENTS_TOPIC,
    alertsTopic: env.KAFKA_ALERTS_TOPIC,
    partitions: env.KAFKA_TOPIC_PARTITIONS,
    backoffInitialMs: env.KAFKA_BACKOFF_INITIAL,
    backoffMaxMs: env.KAFKA_BACKOFF_MAX,
    breakerThreshold: env.KAFKA_BREAKER_THRESHOLD,
    probeIntervalMs: env.KAFKA_PROBE_INTERVAL,
    fetch: {
      minBytes: env.KAFKA_FETCH_MIN_BYTES,
      maxWaitMs: env.KAFKA_FETCH_MAX_WAIT,
      maxBytesPerPartition: env.KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
    },
    security,
  };
}
