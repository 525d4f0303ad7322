/**
 * Publishes ticket events (key = ticket id, so one ticket stays ordered in one partition) and alerts to
 * Kafka. Every record is validated against the shared envelope before it leaves, so a bad event fails here
 * with a clear message rather than at every subscriber. With a tracer, each send is a producer span and every
 * record carries its trace context in W3C headers, so the gateway's fan-out joins the ticket's trace.
 */
import type { Tracer } from '@opentelemetry/api';
import type { Producer } from 'kafkajs';
import type { Config } from '../core/config';
import { alertSchema, encodeTicketEvent, type Alert, type TicketEvent } from '../core/events';
import { connectProducer, createKafka } from '../core/kafka';
import { SpanKind, inSpan, traceHeaders } from '../core/tracing';

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
  /** Tracing on: a span per send, trace context in the record headers. */
  tracer?: Tracer;
}

export function createProducerPublisher(
  producer: Producer,
  topics: { eventsTopic: string; alertsTopic: string },
  ownsProducer = false,
  tracer?: Tracer,
): EventPublisher {
  let closed = false;
  // acks=-1: the idempotent producer needs all in-sync replicas; an event the workflow counts as published must survive a broker loss.
  const send = (messages: { key: string; value: string; headers?: Record<string, string> }[]) =>
    producer.send({ topic: topics.eventsTopic, acks: -1, messages }).then(() => undefined);
  return {
    async publishEvents(events) {
      if (events.length === 0) return;
      const messages = events.map((e) => encodeTicketEvent(e));
      if (!tracer) return send(messages);
      const first = events[0];
      // Ids, kinds and counts only: the events' text stays out of the trace.
      const attributes = {
        'messaging.system': 'kafka',
        'messaging.destination.name': topics.eventsTopic,
        'messaging.batch.message_count': events.length,
        'ticketflow.ticket_id': first?.ticketId,
        'ticketflow.seq.first': first?.seq,
        'ticketflow.seq.last': events.at(-1)?.seq,
      };
      return inSpan(tracer, `${topics.eventsTopic} publish`, { kind: SpanKind.PRODUCER, attributes }, () => {
        const headers = traceHeaders();
        return send(messages.map((m) => ({ ...m, headers })));
      });
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
  if (opts.producer) return createProducerPublisher(opts.producer, topics, false, opts.tracer);
  const producer = await connectProducer(createKafka(cfg));
  return createProducerPublisher(producer, topics, true, opts.tracer);
}
