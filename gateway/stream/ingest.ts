/**
 * From a Kafka record to the hub: decode, count, and skip what is malformed with a log line naming where it
 * is (topic, partition, offset), so the consumer loop never dies of a record.
 */
import type { Logger } from '../../core/logger';
import type { RecordHandler } from '../kafka/consumer';
import type { GatewayMetrics } from '../metrics';
import type { TicketHub } from './hub';
import { decodeRecord } from './record-decode';

export function createIngest(deps: { hub: TicketHub; metrics: GatewayMetrics; logger: Logger }): RecordHandler {
  const { hub, metrics, logger } = deps;
  return (key, value, where) => {
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
    try {
      hub.deliver(decoded.event, decoded.json);
    } catch (err) {
      // A bug in delivery must not stop the stream for every other ticket.
      metrics.dropped.inc({ reason: 'delivery_error' });
      logger.error('delivery failed', { ...where, ticketId: decoded.event.ticketId, seq: decoded.event.seq, err });
    }
  };
}
