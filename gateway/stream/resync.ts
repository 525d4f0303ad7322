/**
 * When the Kafka consumer reports records it can no longer read (retention, a broker that lost its data),
 * the live stream of any open ticket may have a hole Kafka cannot fill. Which tickets were on the lost
 * partitions is not known here, so every open ticket is held and sent a fresh snapshot from the workflow:
 * a reconnect's worth of work, for an event that should be rare, instead of silence.
 */
import type { Logger } from '../../core/logger';
import { withTimeout } from '../../core/with-timeout';
import type { SnapshotSource } from '../snapshot-source';
import type { TicketHub } from './hub';
import type { SnapshotFlights } from './snapshot-flights';

export function resyncOpenTickets(deps: {
  hub: TicketHub;
  snapshots: SnapshotSource;
  logger: Logger;
  timeoutMs: number;
  /** The snapshot flights, whose buffers share the hole (snapshot-flights.ts). */
  flights?: Pick<SnapshotFlights, 'clear'>;
}): void {
  deps.flights?.clear();
  const tickets = deps.hub.hold();
  deps.logger.warn('resyncing open streams with fresh snapshots', { tickets: tickets.length });
  for (const ticketId of tickets) {
    void withTimeout(deps.snapshots.getSnapshot(ticketId), deps.timeoutMs, 'snapshot query').then(
      (snapshot) => deps.hub.release(ticketId, snapshot ?? undefined),
      (err: unknown) => {
        deps.logger.warn("resync snapshot failed; closing the ticket's streams so they reconnect", {
          ticketId,
          err: (err as Error).message,
        });
        deps.hub.release(ticketId, undefined);
      },
    );
  }
}
