/**
 * The fan-out core: per ticket, who is listening and how far they are.
 *
 * Every record goes out once with `app.publish('ticket/<id>', frame)`, so a record costs its ticket's
 * subscribers, not every socket. Three things make "nothing lost, nothing doubled" hold across the snapshot:
 * 1. A connection registers as *pending* for its ticket before its snapshot query starts; records that arrive
 *    meanwhile are buffered for it.
 * 2. On open it gets the snapshot (seq > since), then the buffered records past the snapshot, then joins the
 *    topic, all in one synchronous step, so no record can fall between.
 * 3. Each ticket has a *frontier*: the position of the last record published to its topic. Records at or
 *    before it (Kafka redeliveries, an activity republishing the same seq) are dropped. A socket whose
 *    snapshot is ahead of the frontier (the workflow answered before Kafka delivered) *catches up*: it is
 *    sent only records past its own position until the frontier reaches it, then it joins the topic.
 *
 * Agents and customers see different streams of the same ticket: agents get every event on `ticket/<id>`;
 * customers get `customerView(event)` (internal events dropped, data trimmed) on `ticket/<id>/customer`.
 * Positions advance on every event either way, so a filtered-out event never looks like a gap.
 */
import type { TemplatedApp } from 'uWebSockets.js';
import type { TicketEvent } from '../../core/events';
import { limits } from '../../core/limits';
import type { Logger } from '../../core/logger';
import type { GatewayMetrics } from '../metrics';
import type { TicketSnapshot } from '../snapshot-source';
import { RecordFrames, snapshotFrame, visibleSnapshot } from './frames';
import { comparePositions, durablePosition, maxPosition, positionOf } from './position';
import { frameBytesBound, PressureWatch } from './pressure';
import type { RecordCheck } from './record-bounds';
import { openingFrames } from './opening';
import { sessionStatusAfter, sessionStatusFromTicketStatus } from './session-status';
import { endsStream, snapshotEnded } from './stream-end';
import {
  gate,
  TicketRegistry,
  type CustomerView,
  type PendingConnection,
  type StreamSocket,
  type TicketState,
} from './ticket-state';

export type { Audience, CustomerView, PendingConnection, StreamSocket, StreamSocketData } from './ticket-state';
export { ticketTopic } from './ticket-state';

export interface HubOptions {
  app: TemplatedApp;
  metrics: GatewayMetrics;
  logger: Logger;
  /** A socket whose send buffer passes this many bytes is closed with SLOW_CONSUMER. */
  maxBackpressureBytes: number;
  /** What a customer may see of an event (null: nothing). Required: no default could be safe. */
  customerView: CustomerView;
  /** Records buffered per pending connection before it is refused (its snapshot took too long). */
  maxPendingBuffer?: number;
  /** Makes where an implausible record goes to be checked against the workflow (record-bounds.ts). */
  check?: (hub: TicketHub) => RecordCheck;
  now?: () => number;
}

export class TicketHub extends TicketRegistry {
  private socketCount = 0;
  private readonly maxPendingBuffer: number;
  private readonly customerView: CustomerView;
  private readonly pressure: PressureWatch<TicketState>;
  private readonly check: RecordCheck | undefined;

  constructor(private readonly opts: HubOptions) {
    super(opts.now ?? Date.now, opts.logger);
    this.maxPendingBuffer = opts.maxPendingBuffer ?? 10_000;
    this.customerView = opts.customerView;
    this.pressure = new PressureWatch(opts.maxBackpressureBytes, (ws) => this.closeSlow(ws));
    this.check = opts.check?.(this);
  }

  get sockets(): number {
    return this.socketCount;
  }

  /** Starts buffering `ticketId`'s records for a connection whose snapshot is about to be queried. */
  beginPending(ticketId: string): PendingConnection {
    const pending: PendingConnection = { ticketId, buffer: [], overflowed: false };
    this.stateFor(ticketId).pending.add(pending);
    return pending;
  }

  /** The connection will not open (refused, aborted, snapshot failed). */
  cancelPending(pending: PendingConnection): void {
    const st = this.tickets.get(pending.ticketId);
    st?.pending.delete(pending);
    if (st) this.forgetIfIdle(pending.ticketId, st);
  }

  /** Called from the WebSocket `open` handler: snapshot, buffered records, then the live topic. */
  attach(ws: StreamSocket): void {
    const d = ws.getUserData();
    const st = this.stateFor(d.ticketId);
    const snapshot = d.snapshot ?? { status: 'unknown', events: [], lastSeq: 0 };
    const buffered = d.pending?.buffer ?? [];
    if (d.pending) st.pending.delete(d.pending);
    d.pending = undefined;
    d.snapshot = undefined;
    d.attached = true;
    this.socketCount++;
    this.noteExpiry(d.expiresAt);
    if (st.subscribed.size === 0 && st.catchingUp.size === 0)
      st.status = sessionStatusFromTicketStatus(snapshot.status);

    const { frames, position, finished, status } = openingFrames({
      ...d,
      snapshot,
      buffered,
      customerView: this.customerView,
      onFarSeq: () => this.opts.metrics.refused.inc({ reason: 'seq_jump' }),
    });
    if (status) st.status = status;
    d.position = position;

    let ok = true;
    ws.cork(() => {
      for (const frame of frames) if (ws.send(frame) === 2) ok = false;
    });
    this.opts.metrics.framesOut.inc(frames.length);
    if (!ok) return this.closeSlow(ws);
    if (finished) return this.end(ws, 'TICKET_CLOSED');

    if (st.frontier === undefined || comparePositions(st.frontier, position) >= 0) {
      if (st.frontier !== undefined && comparePositions(st.frontier, position) > 0) {
        // Only possible if the snapshot source is behind Kafka: the socket may miss what lies between.
        this.opts.logger.warn('snapshot older than the live stream', {
          ticketId: d.ticketId,
          snapshotSeq: position.seq,
          frontierSeq: st.frontier.seq,
        });
        this.opts.metrics.dropped.inc({ reason: 'snapshot_behind' });
      }
      if (st.frontier === undefined) {
        st.frontier = position;
        gate(st);
      }
      this.subscribe(ws, st);
    } else {
      st.catchingUp.add(ws);
    }
  }

  /** Called from the WebSocket `close` handler. */
  detach(ws: StreamSocket): void {
    const d = ws.getUserData();
    d.closing = true;
    if (d.attached) {
      d.attached = false;
      this.socketCount--;
    }
    const st = this.tickets.get(d.ticketId);
    if (!st) return;
    if (st.subscribed.delete(ws)) st.audienceCounts[d.audience]--;
    st.catchingUp.delete(ws);
    this.forgetIfIdle(d.ticketId, st);
  }

  /** One valid record; `json` is its own text when exactly the event; `trusted` once the workflow vouched. */
  deliver(event: TicketEvent, json?: string, trusted = false): void {
    const st = this.tickets.get(event.ticketId);
    if (!st) {
      this.opts.metrics.dropped.inc({ reason: 'no_subscribers' });
      return;
    }
    const ends = endsStream(event);
    // The one comparison a plain record pays for its bounds (see TicketState.checkAbove).
    if ((ends || event.seq > st.checkAbove) && !trusted && this.check) return this.check(st, event, json);
    for (const pending of st.pending) {
      if (pending.buffer.length >= this.maxPendingBuffer) pending.overflowed = true;
      else pending.buffer.push(event);
    }
    if (st.held) {
      st.held.push(event);
      return;
    }
    const position = positionOf(event);
    st.lastEventAt = this.now();
    const frames = new RecordFrames(event, json, this.customerView);

    if (st.frontier !== undefined && comparePositions(position, st.frontier) <= 0) {
      this.opts.metrics.dropped.inc({ reason: 'duplicate' });
    } else if (st.frontier !== undefined) {
      // (Undefined: only connections awaiting their snapshot, whose buffers attach() bounds by it.)
      // No check runs here (else the record would have queued behind it), so the gate is frontier + seqJump.
      st.frontier = position;
      st.checkAbove = position.seq + limits.seqJump;
      const status = sessionStatusAfter(event);
      if (status) st.status = status;
      if (st.subscribed.size > 0) {
        let bytes = 0;
        for (const audience of ['agent', 'customer'] as const) {
          const n = st.audienceCounts[audience];
          const frame = n > 0 ? frames.for(audience) : null;
          if (!frame) continue;
          this.opts.app.publish(st.topics[audience], frame, false, false);
          this.opts.metrics.framesOut.inc(n);
          bytes += frameBytesBound(frame);
        }
        this.opts.metrics.recordsPublished.inc();
        this.pressure.note(st, bytes);
      } else if (st.catchingUp.size === 0) {
        this.opts.metrics.dropped.inc({ reason: 'no_subscribers' });
      }
    }

    for (const ws of st.catchingUp) {
      const d = ws.getUserData();
      if (comparePositions(position, d.position) > 0) {
        const frame = frames.for(d.audience);
        if (frame && ws.send(frame) === 2) {
          this.closeSlow(ws);
          continue;
        }
        if (frame) this.opts.metrics.framesOut.inc();
        d.position = position;
      }
    }
    this.promoteCaughtUp(st);

    if (ends) {
      for (const ws of [...st.subscribed, ...st.catchingUp]) this.end(ws, 'TICKET_CLOSED');
    }
  }

  /**
   * Sends each of the ticket's sockets a snapshot frame with the events past its own position, then hands on
   * the records kept back. Without a snapshot (the query failed) the sockets are closed with GOING_AWAY, so
   * their clients reconnect with `since` and get one: never silence.
   */
  release(ticketId: string, snapshot: TicketSnapshot | undefined): void {
    const st = this.tickets.get(ticketId);
    if (!st?.held) return;
    const held = st.held;
    st.held = undefined;
    const sockets = [...st.subscribed, ...st.catchingUp];
    if (!snapshot) {
      for (const ws of sockets) this.end(ws, 'GOING_AWAY');
      return;
    }
    const upTo = durablePosition(snapshot.lastSeq);
    const finished = snapshotEnded(snapshot);
    st.status = sessionStatusFromTicketStatus(snapshot.status);
    for (const ws of sockets) {
      const d = ws.getUserData();
      const at = st.subscribed.has(ws) ? st.frontier! : d.position;
      // A token position (a draft's preview) has not delivered that draft yet.
      const since = at.part === Number.POSITIVE_INFINITY ? at.seq : at.seq - 1;
      const visible = visibleSnapshot(d.audience, snapshot, this.customerView);
      if (ws.send(snapshotFrame(ticketId, visible, since)) === 2) {
        this.closeSlow(ws);
        continue;
      }
      this.opts.metrics.framesOut.inc();
      if (finished) this.end(ws, 'TICKET_CLOSED');
      else if (!st.subscribed.has(ws)) d.position = maxPosition(d.position, upTo);
    }
    if (st.frontier) st.frontier = maxPosition(st.frontier, upTo);
    gate(st);
    this.pressure.unknown(st);
    this.promoteCaughtUp(st);
    for (const event of held) this.deliver(event);
  }

  /** Catching-up sockets the frontier has reached join the topic. */
  private promoteCaughtUp(st: TicketState): void {
    for (const ws of st.catchingUp) {
      if (st.frontier !== undefined && comparePositions(st.frontier, ws.getUserData().position) >= 0) {
        st.catchingUp.delete(ws);
        this.subscribe(ws, st);
      }
    }
  }

  private subscribe(ws: StreamSocket, st: TicketState): void {
    const audience = ws.getUserData().audience;
    ws.subscribe(st.topics[audience]);
    st.subscribed.add(ws);
    st.audienceCounts[audience]++;
    // Its snapshot and catch-up frames went out by direct sends: the ticket's buffers need a real look.
    this.pressure.unknown(st);
  }

  private closeSlow(ws: StreamSocket): void {
    const d = ws.getUserData();
    if (d.closing) return;
    this.opts.metrics.slowCloses.inc();
    this.opts.logger.warn('slow socket closed', {
      ticketId: d.ticketId,
      sub: d.sub,
      bufferedBytes: ws.getBufferedAmount(),
    });
    this.end(ws, 'SLOW_CONSUMER');
  }
}
