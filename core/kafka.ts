/**
 * The one place kafkajs is constructed. Producers and admin go through here so a maintained
 * KafkaJS-compatible client could replace it without touching callers.
 */
import { Kafka, logLevel, Partitioners, type Producer, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { Config } from './config';
import type { KafkaSecurity } from './config-kafka';
import { kafkaTlsOptions } from './kafka-tls';
import { createLogger } from './logger';

const kafkaLog = createLogger('kafka');

/** kafkajs's own log lines, routed through our masked JSON logger at a sane level. */
function logCreator() {
  return ({
    namespace,
    level,
    log,
  }: {
    namespace: string;
    level: logLevel;
    log: { message: string; [k: string]: unknown };
  }) => {
    const { message, timestamp: _t, logger: _l, ...rest } = log;
    const lvl =
      level === logLevel.ERROR
        ? 'error'
        : level === logLevel.WARN
          ? 'warn'
          : level === logLevel.INFO
            ? 'info'
            : 'debug';
    kafkaLog.log(lvl, message, { namespace, ...rest });
  };
}

/** kafkajs's `sasl` and `ssl` from the validated settings; the certificate files are read here, per client. */
export function securityOptions(security: KafkaSecurity): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  const { sasl, tls } = security;
  return {
    // kafkajs types each mechanism apart; the three share one shape, which TypeScript cannot split by itself.
    sasl: sasl
      ? ({ mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions)
      : undefined,
    ssl: kafkaTlsOptions(tls),
  };
}

/**
 * Every kafkajs client (worker publisher, gateway consumer, admin) is built here, so each one carries the
 * cluster's SASL and TLS settings; callers' overrides tune timing and logging, never security.
 */
export function createKafka(cfg: Config['kafka'], overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: cfg.clientId,
    brokers: cfg.brokers,
    logLevel: logLevel.WARN,
    logCreator,
    retry: { initialRetryTime: cfg.backoffInitialMs, maxRetryTime: cfg.backoffMaxMs, retries: 8 },
    ...overrides,
    ...securityOptions(cfg.security),
  });
}

export async function connectProducer(kafka: Kafka): Promise<Producer> {
  // Idempotent producer: a retried send after a lost ack does not duplicate the record in the log.
  const producer = kafka.producer({
    // The murmur2 partitioner Java clients use: one ticket's key lands on the same partition whoever produces it.
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return producer;
}
