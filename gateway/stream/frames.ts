/**
 * What a stream sends, as JSON text frames:
 * - `{"kind":"snapshot","ticketId","status","lastSeq","since","events":[...]}` first, once: the durable events
 *   with seq > since (all of them without `since`);
 * - `{"kind":"event","event":{v,ticketId,seq,part?,type,at,data}}` for each live event after that, in order,
 *   each once (token previews carry the upcoming draft's seq and a `part`);
 * - `{"kind":"pong","at"}` in answer to a client's `{"kind":"ping"}`.
 * A `resolved` event is the last frame; the socket is then closed with 1000. Customers' sockets get the
 * customer view of each event (see HubOptions.customerView); `seq`/`lastSeq` still count hidden events.
 */
import type { TicketEvent } from '../../core/events';
import type { TicketSnapshot } from '../snapshot-source';

export function snapshotFrame(ticketId: string, snapshot: TicketSnapshot, since: number): string {
  const events = snapshot.events.filter((e) => e.seq > since);
  return JSON.stringify({ kind: 'snapshot', ticketId, status: snapshot.status, lastSeq: snapshot.lastSeq, since, events });
}

export function eventFrame(event: TicketEvent): string {
  return `{"kind":"event","event":${JSON.stringify(event)}}`;
}

export function pongFrame(): string {
  return JSON.stringify({ kind: 'pong', at: new Date().toISOString() });
}
