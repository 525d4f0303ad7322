/**
 * Publishes ticket events (key = ticket id, so one ticket stays ordered in one partition) and alerts to
 * Kafka. Every record is validated against the shared envelope before it leaves, so a bad event fails here
 * with a clear message rather than at every subscriber.
 */
import type { Producer } from 'kafkajs';
import type { Config } from '../core/config';
import { alertSchema, encodeTicketEvent, type Alert, type TicketEvent } from '../core/events';
import { connectProducer, createKafka } from '../core/kafka';

export interface EventPublisher {
  /** At least once, in the given order. Subscribers drop repeats by seq (and part for tokens). */
  publishEvents(events: readonly TicketEvent[]): Promise<void>;
  publishAlert(alert: Alert): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaPublisherOptions {
  eventsTopic?: string;
  alertsTopic?: string;
  /** Use an existing producer (its owner closes it). */
  producer?: Producer;
}

export function createProducerPublisher(
  producer: Producer,
  topics: { eventsTopic: string; alertsTopic: string },
  ownsProducer = false,
): EventPublisher {
  let closed = false;
  return {
    async publishEvents(events) {
      if (events.length === 0) return;
      const messages = events.map((e) => encodeTicketEvent(e));
      // acks=-1: the idempotent producer needs all in-sync replicas; an event the workflow counts as published must survive a broker loss.
      await producer.send({ topic: topics.eventsTopic, acks: -1, messages });
    },
    async publishAlert(alert) {
      const parsed = alertSchema.parse(alert);
      await producer.send({
        topic: topics.alertsTopic,
        acks: -1,
        messages: [{ key: parsed.ticketId ?? parsed.orgId ?? parsed.kind, value: JSON.stringify(parsed) }],
      });
    },
    async close() {
      if (closed || !ownsProducer) return;
      closed = true;
      await producer.disconnect();
    },
  };
}

/** A publisher with its own idempotent producer, on the configured topics unless overridden. */
export async function createKafkaPublisher(
  cfg: Config['kafka'],
  opts: KafkaPublisherOptions = {},
): Promise<EventPublisher> {
  const topics = {
    eventsTopic: opts.eventsTopic ?? cfg.ticketEventsTopic,
    alertsTopic: opts.alertsTopic ?? cfg.alertsTopic,
  };
  if (opts.producer) return createProducerPublisher(opts.producer, topics, false);
  const producer = await connectProducer(createKafka(cfg));
  return createProducerPublisher(producer, topics, true);
}
