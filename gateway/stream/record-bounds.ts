/**
 * A record cannot do more than the workflow did. Anyone who can write to `ticket-events` could otherwise move
 * a ticket's frontier far ahead (every later real event then looks like a duplicate), close its sockets with
 * a forged `closed` status, or send a preview `part` that makes pages index huge arrays. So:
 * - a token whose `part` passes `limits.tokenPart` is refused outright;
 * - a record whose seq is more than `limits.seqJump` past the ticket's frontier, and every record that ends
 *   the ticket's streams (its `closed` status, stream-end.ts; one per ticket, so the check costs nothing
 *   worth counting), waits while the workflow's own snapshot is asked;
 *   the ticket's later records wait behind it, in order. Only what the snapshot confirms is delivered.
 * - When the workflow cannot answer in time (its worker was just killed and the query waits for the dead
 *   worker's sticky queue), the record is held back but nothing else is: the later records go on, the sockets
 *   stay open, and the record is asked about again until the workflow confirms it (then it is delivered, or
 *   the ticket resynced from that snapshot) or denies it (refused).
 * A plain record pays one comparison (TicketState.checkAbove) and nothing else.
 */
import type { TicketEvent } from '../../core/events';
import { limits } from '../../core/limits';
import type { Logger } from '../../core/logger';
import { withTimeout } from '../../core/with-timeout';
import type { GatewayMetrics } from '../metrics';
import type { SnapshotSource, TicketSnapshot } from '../snapshot-source';
import { comparePositions, positionOf, type Position } from './position';
import { endsStream } from './stream-end';
import type { TicketHub } from './hub';
import { gate, type TicketState } from './ticket-state';

export type RecordCheck = (st: TicketState, event: TicketEvent, json: string | undefined) => void;

/** Asked again at this interval, this many times, before an unverified record is dropped (logged). */
const RECHECKS = 30;

/** A token preview beyond any real draft's length. */
export function partOutOfBounds(event: TicketEvent): boolean {
  return event.type === 'token' && (event.part ?? 0) > limits.tokenPart;
}

/** Further past `position` than the workflow moves while one snapshot query runs. */
export function farBeyond(event: TicketEvent, position: Position): boolean {
  return event.seq - position.seq > limits.seqJump;
}

/** Whether the workflow's state vouches for the record: it has reached that seq (a token precedes its draft). */
function confirmed(event: TicketEvent, snapshot: TicketSnapshot | null): boolean {
  if (!snapshot) return false;
  if (endsStream(event)) return snapshot.events.some((e) => e.seq === event.seq && endsStream(e));
  return snapshot.lastSeq >= (event.type === 'token' ? event.seq - 1 : event.seq);
}

/** The record comes right after the frontier: delivering it late leaves no gap behind it. */
function next(st: TicketState, event: TicketEvent): boolean {
  const f = st.frontier;
  return f !== undefined && event.seq <= f.seq + 1 && comparePositions(positionOf(event), f) > 0;
}

export interface RecordCheckDeps {
  /** Where checked records go: `deliver`, `holdTicket` + `release` (a resync from a snapshot), `isCurrent`. */
  hub: Pick<TicketHub, 'deliver' | 'holdTicket' | 'release' | 'isCurrent'>;
  snapshots: SnapshotSource;
  metrics: GatewayMetrics;
  logger: Logger;
  /** A snapshot query's bound (default 10 s, as the stream route's). */
  timeoutMs?: number;
  /** Wait before asking again about a record the workflow could not vouch for (default: timeoutMs). */
  recheckMs?: number;
}

export function createRecordCheck(deps: RecordCheckDeps): RecordCheck {
  const { hub } = deps;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const ask = (ticketId: string) => withTimeout(deps.snapshots.getSnapshot(ticketId), timeoutMs, 'snapshot query');

  const refuse = (event: TicketEvent, snapshot: TicketSnapshot | null) => {
    const reason = endsStream(event) ? 'closed' : 'seq_jump';
    deps.metrics.refused.inc({ reason });
    deps.logger.warn('record refused: the workflow did not do it', {
      ticketId: event.ticketId,
      seq: event.seq,
      type: event.type,
      workflowSeq: snapshot?.lastSeq,
      reason,
    });
  };

  /** Asks again, later, about a record held back unverified; the ticket's stream goes on meanwhile. */
  const recheck = (st: TicketState, event: TicketEvent, json: string | undefined, left: number) => {
    const timer = setTimeout(() => {
      if (!hub.isCurrent(event.ticketId, st)) return; // nobody listens: the next socket gets a snapshot
      ask(event.ticketId).then(
        (snapshot) => {
          if (!hub.isCurrent(event.ticketId, st)) return;
          if (!confirmed(event, snapshot)) return refuse(event, snapshot);
          deps.logger.info('held record confirmed by the workflow', { ticketId: event.ticketId, seq: event.seq });
          if (!st.checking && !st.held && next(st, event)) hub.deliver(event, json, true);
          // Sends each socket what the snapshot has past its position; a resync already holding brings it too.
          else if (hub.holdTicket(event.ticketId)) hub.release(event.ticketId, snapshot!);
        },
        (err: unknown) => {
          if (left > 1) return recheck(st, event, json, left - 1);
          deps.logger.warn('record dropped: the workflow never vouched for it', {
            ticketId: event.ticketId,
            seq: event.seq,
            err: (err as Error).message,
          });
        },
      );
    }, deps.recheckMs ?? timeoutMs);
    timer.unref();
  };

  const settle = (st: TicketState, event: TicketEvent, json: string | undefined, answer: SnapshotAnswer) => {
    const waiting = st.checking ?? [];
    st.checking = undefined;
    gate(st);
    if ('err' in answer) {
      deps.metrics.refused.inc({ reason: 'unverified' });
      deps.logger.warn('record held back: the workflow could not vouch for it in time', {
        ticketId: event.ticketId,
        seq: event.seq,
        type: event.type,
        err: answer.err.message,
      });
      recheck(st, event, json, RECHECKS);
    } else if (confirmed(event, answer.snapshot)) {
      hub.deliver(event, json, true);
    } else {
      refuse(event, answer.snapshot);
    }
    for (const w of waiting) hub.deliver(w.event, w.json, false);
  };

  return (st, event, json) => {
    if (st.checking) {
      st.checking.push({ event, json });
      return;
    }
    st.checking = [];
    gate(st);
    ask(event.ticketId).then(
      (snapshot) => settle(st, event, json, { snapshot }),
      (err: unknown) => settle(st, event, json, { err: err as Error }),
    );
  };
}

type SnapshotAnswer = { snapshot: TicketSnapshot | null } | { err: Error };
