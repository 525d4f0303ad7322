/**
 * A record cannot do more than the workflow did. Anyone who can write to `ticket-events` could otherwise move
 * a ticket's frontier far ahead (every later real event then looks like a duplicate), close its sockets with
 * a `resolved`, or send a preview `part` that makes pages index huge arrays. So:
 * - a token whose `part` passes `limits.tokenPart` is refused outright;
 * - a record whose seq is more than `limits.seqJump` past the ticket's frontier, and every `resolved` (one
 *   per ticket, so the check costs nothing worth counting), waits while the workflow's own snapshot is asked;
 *   the ticket's later records wait behind it, in order. Only what the snapshot confirms is delivered.
 * A normal record pays a few comparisons (see `needsCheck`) and nothing else.
 */
import type { TicketEvent } from '../../core/events';
import { limits } from '../../core/limits';
import type { Logger } from '../../core/logger';
import { withTimeout } from '../../core/with-timeout';
import type { GatewayMetrics } from '../metrics';
import type { SnapshotSource, TicketSnapshot } from '../snapshot-source';
import type { TicketState } from './ticket-state';

export type RecordCheck = (st: TicketState, event: TicketEvent, json: string | undefined) => void;

/** A token preview beyond any real draft's length. */
export function partOutOfBounds(event: TicketEvent): boolean {
  return event.type === 'token' && (event.part ?? 0) > limits.tokenPart;
}

export function needsCheck(st: TicketState, event: TicketEvent): boolean {
  return (
    st.checking !== undefined ||
    event.type === 'resolved' ||
    (st.frontier !== undefined && event.seq - st.frontier.seq > limits.seqJump)
  );
}

/** Whether the workflow's state vouches for the record: it has reached that seq (a token precedes its draft). */
function confirmed(event: TicketEvent, snapshot: TicketSnapshot | undefined): boolean {
  if (!snapshot) return false;
  if (event.type === 'resolved') {
    return snapshot.events.some((e) => e.type === 'resolved' && e.seq === event.seq);
  }
  return snapshot.lastSeq >= (event.type === 'token' ? event.seq - 1 : event.seq);
}

export function createRecordCheck(deps: {
  deliver: (event: TicketEvent, json: string | undefined, trusted: boolean) => void;
  closeTicket: (ticketId: string) => void;
  snapshots: SnapshotSource;
  metrics: GatewayMetrics;
  logger: Logger;
  timeoutMs: number;
}): RecordCheck {
  const settle = (st: TicketState, event: TicketEvent, json: string | undefined, snapshot?: TicketSnapshot) => {
    const waiting = st.checking ?? [];
    st.checking = undefined;
    if (confirmed(event, snapshot)) {
      deps.deliver(event, json, true);
    } else {
      const reason = !snapshot ? 'unverified' : event.type === 'resolved' ? 'resolved' : 'seq_jump';
      deps.metrics.refused.inc({ reason });
      deps.logger.warn('record refused: the workflow did not do it', {
        ticketId: event.ticketId,
        seq: event.seq,
        type: event.type,
        workflowSeq: snapshot?.lastSeq,
        reason,
      });
      // Without an answer a real `resolved` may be among them: the clients reconnect and get a snapshot.
      if (!snapshot) deps.closeTicket(event.ticketId);
    }
    for (const w of waiting) deps.deliver(w.event, w.json, false);
  };

  return (st, event, json) => {
    if (st.checking) {
      st.checking.push({ event, json });
      return;
    }
    st.checking = [];
    withTimeout(deps.snapshots.getSnapshot(event.ticketId), deps.timeoutMs, 'snapshot query').then(
      (snapshot) => settle(st, event, json, snapshot ?? undefined),
      (err: unknown) => {
        deps.logger.warn('record check failed', { ticketId: event.ticketId, err: (err as Error).message });
        settle(st, event, json, undefined);
      },
    );
  };
}
