/**
 * One snapshot query per ticket at a time. A new ticket's agent and customer streams open together (the
 * customer's page and the agent following it), and each asked the workflow for the same snapshot: a Temporal
 * query apiece, which costs the server, the worker (a workflow activation) and the gateway. A stream that opens
 * while a query for its ticket is in flight takes that query's answer instead (issue 9).
 *
 * Nothing is lost by joining: the flight registers a pending buffer of its own before its query starts, so it
 * holds every record delivered since, and a joiner's buffer starts as a copy of it. The joiner opens with a
 * snapshot that may be older than its own connection, followed by every record after it, as the first one does.
 */
import { withTimeout } from '../../core/with-timeout';
import type { GatewayMetrics } from '../metrics';
import type { SnapshotSource, TicketSnapshot } from '../snapshot-source';
import type { PendingConnection, TicketHub } from './hub';

export class SnapshotFlights {
  private readonly flights = new Map<string, { anchor: PendingConnection; answer: Promise<TicketSnapshot | null> }>();

  constructor(
    private readonly hub: Pick<TicketHub, 'beginPending' | 'cancelPending'>,
    private readonly snapshots: SnapshotSource,
    private readonly timeoutMs: number,
    private readonly counter?: Pick<GatewayMetrics['snapshotQueries'], 'inc'>,
  ) {}

  /** A pending buffer for a connection about to open on `ticketId`, and the snapshot it opens with. */
  open(ticketId: string): { pending: PendingConnection; snapshot: Promise<TicketSnapshot | null> } {
    let flight = this.flights.get(ticketId);
    this.counter?.inc({ how: flight ? 'joined' : 'asked' });
    if (!flight) {
      const anchor = this.hub.beginPending(ticketId);
      const query = withTimeout(this.snapshots.getSnapshot(ticketId), this.timeoutMs, 'snapshot query');
      const answer = query.finally(() => {
        this.flights.delete(ticketId);
        this.hub.cancelPending(anchor);
      });
      flight = { anchor, answer };
      this.flights.set(ticketId, flight);
    }
    const pending = this.hub.beginPending(ticketId);
    // Synchronous with the registration above: no record can arrive between the copy and the new buffer.
    pending.buffer.push(...flight.anchor.buffer);
    pending.overflowed = flight.anchor.overflowed;
    return { pending, snapshot: flight.answer };
  }

  /** Queries in flight (for tests). */
  get size(): number {
    return this.flights.size;
  }
}
