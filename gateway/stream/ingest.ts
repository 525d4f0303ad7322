/**
 * From a Kafka record to the hub: decode, count, and skip what is malformed with a log line naming where it
 * is (topic, partition, offset), so the consumer loop never dies of a record. With a tracer, each delivery is
 * a consumer span in the trace the record's headers carry (the ticket's, from the worker's publish).
 */
import { context, trace, type Tracer } from '@opentelemetry/api';
import type { TicketEvent } from '../../core/events';
import type { Logger } from '../../core/logger';
import { SpanKind, contextFromHeaders } from '../../core/tracing';
import type { RecordHandler } from '../kafka/consumer';
import type { GatewayMetrics } from '../metrics';
import type { TicketHub } from './hub';
import { partOutOfBounds } from './record-bounds';
import { decodeRecord } from './record-decode';

export function createIngest(deps: {
  hub: TicketHub;
  metrics: GatewayMetrics;
  logger: Logger;
  tracer?: Tracer;
  /** Also told of every event delivered (the agents' queue stream). */
  taps?: readonly ((event: TicketEvent) => void)[];
}): RecordHandler {
  const { hub, metrics, logger, tracer } = deps;
  const ingest: RecordHandler = (key, value, where) => {
    metrics.recordsIn.inc();
    const decoded = decodeRecord(key, value);
    if (!decoded.ok) {
      metrics.malformed.inc({ reason: decoded.reason });
      logger.warn('malformed record skipped', {
        ...where,
        reason: decoded.reason,
        detail: decoded.detail.slice(0, 200),
      });
      return;
    }
    if (partOutOfBounds(decoded.event)) {
      metrics.refused.inc({ reason: 'part' });
      logger.warn('record refused: token part out of bounds', { ...where, ticketId: decoded.event.ticketId });
      return;
    }
    try {
      hub.deliver(decoded.event, decoded.json);
      for (const tap of deps.taps ?? []) tap(decoded.event);
    } catch (err) {
      // A bug in delivery must not stop the stream for every other ticket.
      metrics.dropped.inc({ reason: 'delivery_error' });
      logger.error('delivery failed', { ...where, ticketId: decoded.event.ticketId, seq: decoded.event.seq, err });
    }
  };
  if (!tracer) return ingest;
  // Off the hot path unless tracing is on: a span per record, ids and positions only.
  return (key, value, where, headers) => {
    const span = tracer.startSpan(
      `${where.topic} deliver`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': where.topic,
          'messaging.destination.partition.id': String(where.partition),
          'messaging.kafka.offset': Number(where.offset),
          'ticketflow.ticket_id': key?.toString(),
        },
      },
      contextFromHeaders(headers),
    );
    try {
      context.with(trace.setSpan(context.active(), span), () => ingest(key, value, where));
    } finally {
      span.end();
    }
  };
}
