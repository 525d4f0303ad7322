/**
 * One snapshot query per ticket at a time, and none at all for a stream that follows its ticket's POST. A new
 * ticket's agent and customer streams open together, right after the POST that read the ticket's first state,
 * and each asked the workflow for a snapshot: three Temporal queries per ticket, each costing the server, the
 * worker (a workflow activation) and the gateway (issue 9). Now a stream that opens while a query for its
 * ticket is in flight takes that query's answer, and the POST's read is such a query, kept for `keepMs` after
 * it answers, since the customer's page opens its stream as soon as the POST answers.
 *
 * Nothing is lost by joining: a flight registers a pending buffer of its own before its query starts, so it
 * holds every record delivered since, and a joiner's buffer starts as a copy of it. The joiner opens with a
 * snapshot that may be older than its own connection, followed by every record after it, as the first one does.
 */
import { withTimeout } from '../../core/with-timeout';
import type { GatewayMetrics } from '../metrics';
import type { SnapshotSource, TicketSnapshot } from '../snapshot-source';
import type { PendingConnection, TicketHub } from './hub';

interface Flight {
  anchor: PendingConnection;
  answer: Promise<TicketSnapshot | null>;
}

export class SnapshotFlights {
  private readonly flights = new Map<string, Flight>();

  constructor(
    private readonly hub: Pick<TicketHub, 'beginPending' | 'cancelPending'>,
    private readonly snapshots: SnapshotSource,
    private readonly timeoutMs: number,
    private readonly counter?: Pick<GatewayMetrics['snapshotQueries'], 'inc'>,
    /** How long the POST's first read serves the ticket's streams once answered. */
    private readonly keepMs = 10_000,
  ) {}

  /** A pending buffer for a connection about to open on `ticketId`, and the snapshot it opens with. */
  open(ticketId: string): { pending: PendingConnection; snapshot: Promise<TicketSnapshot | null> } {
    const joined = this.flights.get(ticketId);
    this.counter?.inc({ how: joined ? 'joined' : 'asked' });
    const ask = () => withTimeout(this.snapshots.getSnapshot(ticketId), this.timeoutMs, 'snapshot query');
    const flight = joined ?? this.start(ticketId, ask, 0);
    const pending = this.hub.beginPending(ticketId);
    // Synchronous with the registration above: no record can arrive between the copy and the new buffer.
    pending.buffer.push(...flight.anchor.buffer);
    pending.overflowed = flight.anchor.overflowed;
    return { pending, snapshot: flight.answer };
  }

  /**
   * The POST's first read of a new ticket (`read`, answering its state), made a flight its streams join for
   * `keepMs` after it answers. Buffering starts before the read, as for a stream's own query.
   */
  seed<T>(ticketId: string, read: () => Promise<T>, toSnapshot: (state: T) => TicketSnapshot): Promise<T> {
    // A stream's query got there first (a retried POST): the POST reads on its own.
    if (this.flights.has(ticketId)) return read();
    let state!: Promise<T>;
    // The streams that join wait no longer than for a query of their own; the POST gets its read as it comes.
    const ask = () => withTimeout((state = read()).then(toSnapshot), this.timeoutMs, 'snapshot query');
    this.start(ticketId, ask, this.keepMs);
    return state;
  }

  /**
   * Ends every flight, kept or in flight: after the consumer lost records (a gap), a flight's buffer has a hole
   * and its answer may be older than it, so the streams opening next ask afresh.
   */
  clear(): void {
    for (const [ticketId, flight] of [...this.flights]) {
      this.flights.delete(ticketId);
      this.hub.cancelPending(flight.anchor);
    }
  }

  /** Queries in flight or kept (for tests). */
  get size(): number {
    return this.flights.size;
  }

  private start(ticketId: string, ask: () => Promise<TicketSnapshot | null>, keepMs: number): Flight {
    // Buffering starts before the query does: the answer may be older than any record delivered after this.
    const anchor = this.hub.beginPending(ticketId);
    const flight: Flight = { anchor, answer: ask() };
    this.flights.set(ticketId, flight);
    const end = () => {
      if (this.flights.get(ticketId) === flight) this.flights.delete(ticketId);
      this.hub.cancelPending(anchor);
    };
    // A failed read is not kept: the next stream asks again.
    flight.answer.then(
      () => (keepMs > 0 ? setTimeout(end, keepMs).unref() : end()),
      () => end(),
    );
    return flight;
  }
}
