/**
 * What a stream sends, as JSON text frames:
 * - `{"kind":"snapshot","ticketId","status","lastSeq","since","events":[...]}` first, once: the durable events
 *   with seq > since (all of them without `since`);
 * - `{"kind":"event","event":{v,ticketId,seq,part?,type,at,data}}` for each live event after that, in order,
 *   each once (token previews carry the upcoming draft's seq and a `part`);
 * - `{"kind":"pong","at"}` in answer to a client's `{"kind":"ping"}`.
 * The ticket's `closed` status is the last frame; the socket is then closed with 1000. Customers' sockets get the
 * customer view of each event (see HubOptions.customerView); `seq`/`lastSeq` still count hidden events.
 */
import type { TicketEvent } from '../../core/events';
import type { TicketSnapshot } from '../snapshot-source';
import type { Audience, CustomerView } from './ticket-state';

export function snapshotFrame(ticketId: string, snapshot: TicketSnapshot, since: number): string {
  const events = snapshot.events.filter((e) => e.seq > since);
  return JSON.stringify({
    kind: 'snapshot',
    ticketId,
    status: snapshot.status,
    lastSeq: snapshot.lastSeq,
    since,
    events,
  });
}

/** The snapshot as `audience` may see it (customers: `customerView` of each event). */
export function visibleSnapshot(
  audience: Audience,
  snapshot: TicketSnapshot,
  customerView: CustomerView,
): TicketSnapshot {
  return audience === 'agent'
    ? snapshot
    : { ...snapshot, events: snapshot.events.flatMap((e) => customerView(e) ?? []) };
}

export function eventFrame(event: TicketEvent): string {
  return `{"kind":"event","event":${JSON.stringify(event)}}`;
}

export function pongFrame(): string {
  return JSON.stringify({ kind: 'pong', at: new Date().toISOString() });
}

/**
 * One record's frames, each built at most once and only when someone gets it: the agents' from the record's
 * own JSON text when the decoder vouched for it (no `JSON.stringify`), the customers' the very same frame when
 * their view leaves the event as it is.
 */
export class RecordFrames {
  private agent: string | undefined;
  private customer: string | null | undefined;

  constructor(
    private readonly event: TicketEvent,
    private readonly json: string | undefined,
    private readonly customerView: CustomerView,
  ) {}

  for(audience: Audience): string | null {
    if (audience === 'agent')
      return (this.agent ??=
        this.json === undefined ? eventFrame(this.event) : `{"kind":"event","event":${this.json}}`);
    if (this.customer === undefined) {
      const shown = this.customerView(this.event);
      this.customer = shown === this.event ? this.for('agent') : shown ? eventFrame(shown) : null;
    }
    return this.customer;
  }
}
