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
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { TicketEvent } from '../../core/events';
import type { Logger } from '../../core/logger';
import { CloseCode, CloseReason } from '../close-codes';
import type { GatewayMetrics } from '../metrics';
import type { TicketSnapshot } from '../snapshot-source';
import { eventFrame, snapshotFrame } from './frames';
import { comparePositions, durablePosition, maxPosition, positionOf, type Position } from './position';
import { sessionStatusAfter, sessionStatusFromTicketStatus, type SessionStatus } from './session-status';

/** What a connection carries from its upgrade to its close (uWS user data). */
export type Audience = 'agent' | 'customer';

export interface StreamSocketData {
  connId: number;
  /** Which view of the ticket this socket gets (agents: everything; customers: `customerView`). */
  audience: Audience;
  ticketId: string;
  sub: string;
  role: string;
  since: number;
  /** Both released once the socket is attached: an idle socket should cost bytes, not its history. */
  pending: PendingConnection | undefined;
  snapshot: TicketSnapshot | undefined;
  /** Last position this socket was sent (kept current only while catching up; then the topic's frontier). */
  position: Position;
  connectedAt: number;
  lastInboundAt: number;
  closing: boolean;
  /** Counted in the hub's sockets (set by attach, cleared by detach). */
  attached?: boolean;
  closeReason?: SessionStatus;
  /** The ping bucket this socket is in (see pinger.ts). */
  pingSlot?: number;
}

export type StreamSocket = WebSocket<StreamSocketData>;

export interface PendingConnection {
  ticketId: string;
  buffer: TicketEvent[];
  overflowed: boolean;
}

interface TicketState {
  topics: Record<Audience, string>;
  /** Subscribed sockets per audience (to know which views to publish). */
  audienceCounts: Record<Audience, number>;
  /** Position of the last record published to the topic; undefined until a socket or record sets it. */
  frontier: Position | undefined;
  subscribed: Set<StreamSocket>;
  catchingUp: Set<StreamSocket>;
  pending: Set<PendingConnection>;
  lastEventAt: number;
  status: SessionStatus;
}

export interface HubOptions {
  app: TemplatedApp;
  metrics: GatewayMetrics;
  logger: Logger;
  /** A socket whose send buffer passes this many bytes is closed with SLOW_CONSUMER. */
  maxBackpressureBytes: number;
  /** What a customer may see of an event (null: nothing). Default: everything. */
  customerView?: (event: TicketEvent) => TicketEvent | null;
  /** Records buffered per pending connection before it is refused (its snapshot took too long). */
  maxPendingBuffer?: number;
  now?: () => number;
}

export function ticketTopic(ticketId: string, audience: Audience = 'agent'): string {
  return audience === 'agent' ? `ticket/${ticketId}` : `ticket/${ticketId}/customer`;
}

export class TicketHub {
  private readonly tickets = new Map<string, TicketState>();
  private socketCount = 0;
  private readonly now: () => number;
  private readonly maxPendingBuffer: number;
  private readonly customerView: (event: TicketEvent) => TicketEvent | null;

  constructor(private readonly opts: HubOptions) {
    this.now = opts.now ?? Date.now;
    this.maxPendingBuffer = opts.maxPendingBuffer ?? 10_000;
    this.customerView = opts.customerView ?? ((e) => e);
  }

  get sockets(): number {
    return this.socketCount;
  }

  get ticketCount(): number {
    return this.tickets.size;
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
    if (st.subscribed.size === 0 && st.catchingUp.size === 0) st.status = sessionStatusFromTicketStatus(snapshot.status);

    let position = maxPosition(durablePosition(d.since), durablePosition(snapshot.lastSeq));
    let finished = snapshot.events.at(-1)?.type === 'resolved';
    const view = (e: TicketEvent) => (d.audience === 'agent' ? e : this.customerView(e));
    const visible = d.audience === 'agent' ? snapshot : { ...snapshot, events: snapshot.events.flatMap((e) => view(e) ?? []) };
    const frames = [snapshotFrame(d.ticketId, visible, d.since)];
    for (const event of buffered) {
      const p = positionOf(event);
      if (comparePositions(p, position) <= 0) continue;
      const shown = view(event);
      if (shown) frames.push(eventFrame(shown));
      position = p;
      if (event.type === 'resolved') finished = true;
      const status = sessionStatusAfter(event);
      if (status) st.status = status;
    }
    d.position = position;

    let ok = true;
    ws.cork(() => {
      for (const frame of frames) if (ws.send(frame) === 2) ok = false;
    });
    this.opts.metrics.framesOut.inc(frames.length);
    if (!ok) return this.closeSlow(ws);
    if (finished) return this.end(ws, 'RESOLVED');

    if (st.frontier === undefined || comparePositions(st.frontier, position) >= 0) {
      if (st.frontier !== undefined && comparePositions(st.frontier, position) > 0) {
        // Only possible if the snapshot source is behind Kafka: the socket may miss what lies between.
        this.opts.logger.warn('snapshot older than the live stream', { ticketId: d.ticketId, snapshotSeq: position.seq, frontierSeq: st.frontier.seq });
        this.opts.metrics.dropped.inc({ reason: 'snapshot_behind' });
      }
      st.frontier ??= position;
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

  /** One valid record from Kafka. */
  deliver(event: TicketEvent): void {
    const st = this.tickets.get(event.ticketId);
    if (!st) {
      this.opts.metrics.dropped.inc({ reason: 'no_subscribers' });
      return;
    }
    for (const pending of st.pending) {
      if (pending.buffer.length >= this.maxPendingBuffer) pending.overflowed = true;
      else pending.buffer.push(event);
    }
    const position = positionOf(event);
    st.lastEventAt = this.now();
    // Frames are built at most once per audience per record, and only if someone will get them.
    const frames: Partial<Record<Audience, string | null>> = {};
    const frameFor = (audience: Audience): string | null => {
      let f = frames[audience];
      if (f === undefined) {
        const shown = audience === 'agent' ? event : this.customerView(event);
        f = frames[audience] = shown ? eventFrame(shown) : null;
      }
      return f;
    };

    if (st.frontier !== undefined && comparePositions(position, st.frontier) <= 0) {
      this.opts.metrics.dropped.inc({ reason: 'duplicate' });
    } else {
      st.frontier = position;
      const status = sessionStatusAfter(event);
      if (status) st.status = status;
      if (st.subscribed.size > 0) {
        for (const audience of ['agent', 'customer'] as const) {
          const n = st.audienceCounts[audience];
          const frame = n > 0 ? frameFor(audience) : null;
          if (!frame) continue;
          this.opts.app.publish(st.topics[audience], frame, false, false);
          this.opts.metrics.framesOut.inc(n);
        }
        this.opts.metrics.recordsPublished.inc();
        this.checkBackpressure(st);
      } else if (st.catchingUp.size === 0) {
        this.opts.metrics.dropped.inc({ reason: 'no_subscribers' });
      }
    }

    for (const ws of st.catchingUp) {
      const d = ws.getUserData();
      if (comparePositions(position, d.position) > 0) {
        const frame = frameFor(d.audience);
        if (frame && ws.send(frame) === 2) {
          this.closeSlow(ws);
          continue;
        }
        if (frame) this.opts.metrics.framesOut.inc();
        d.position = position;
      }
      if (st.frontier !== undefined && comparePositions(st.frontier, d.position) >= 0) {
        st.catchingUp.delete(ws);
        this.subscribe(ws, st);
      }
    }

    if (event.type === 'resolved') {
      for (const ws of [...st.subscribed, ...st.catchingUp]) this.end(ws, 'RESOLVED');
    }
  }

  /** Closes sockets idle longer than `ttlMs` (no record for their ticket and nothing from the client). */
  closeIdle(ttlMs: number): number {
    const t = this.now();
    let closed = 0;
    for (const st of [...this.tickets.values()]) {
      if (t - st.lastEventAt <= ttlMs) continue;
      for (const ws of [...st.subscribed, ...st.catchingUp]) {
        const d = ws.getUserData();
        if (t - Math.max(d.lastInboundAt, d.connectedAt) > ttlMs) {
          d.closeReason = 'timed_out';
          this.opts.logger.info('session idle, closing', { ticketId: d.ticketId, sub: d.sub, idleMs: t - Math.max(d.lastInboundAt, d.connectedAt, st.lastEventAt) });
          this.end(ws, 'SESSION_IDLE');
          closed++;
        }
      }
    }
    return closed;
  }

  /** Closes every socket (drain). */
  closeAll(code: 'GOING_AWAY' | 'INTERNAL_ERROR'): void {
    for (const st of [...this.tickets.values()]) {
      for (const ws of [...st.subscribed, ...st.catchingUp]) this.end(ws, code);
    }
  }

  /** Open sessions by status (timed-out ones are closed, so they show in the logs and close counts). */
  sessionCounts(): Record<SessionStatus, number> {
    const counts: Record<SessionStatus, number> = { active: 0, waiting_for_human: 0, completed: 0, failed: 0, timed_out: 0 };
    for (const st of this.tickets.values()) counts[st.status] += st.subscribed.size + st.catchingUp.size;
    return counts;
  }

  /** The session status of `ticketId`'s open sockets (undefined when none). */
  ticketSessionStatus(ticketId: string): SessionStatus | undefined {
    return this.tickets.get(ticketId)?.status;
  }

  private subscribe(ws: StreamSocket, st: TicketState): void {
    const audience = ws.getUserData().audience;
    ws.subscribe(st.topics[audience]);
    st.subscribed.add(ws);
    st.audienceCounts[audience]++;
  }

  private checkBackpressure(st: TicketState): void {
    const limit = this.opts.maxBackpressureBytes;
    for (const ws of st.subscribed) {
      if (ws.getBufferedAmount() > limit) this.closeSlow(ws);
    }
  }

  private closeSlow(ws: StreamSocket): void {
    const d = ws.getUserData();
    if (d.closing) return;
    this.opts.metrics.slowCloses.inc();
    this.opts.logger.warn('slow socket closed', { ticketId: d.ticketId, sub: d.sub, bufferedBytes: ws.getBufferedAmount() });
    this.end(ws, 'SLOW_CONSUMER');
  }

  private end(ws: StreamSocket, code: 'RESOLVED' | 'GOING_AWAY' | 'SESSION_IDLE' | 'SLOW_CONSUMER' | 'INTERNAL_ERROR'): void {
    const d = ws.getUserData();
    if (d.closing) return;
    d.closing = true;
    // end() runs the close handler synchronously, which detaches the socket.
    ws.end(CloseCode[code], CloseReason[code]);
  }

  private stateFor(ticketId: string): TicketState {
    let st = this.tickets.get(ticketId);
    if (!st) {
      st = {
        topics: { agent: ticketTopic(ticketId, 'agent'), customer: ticketTopic(ticketId, 'customer') },
        audienceCounts: { agent: 0, customer: 0 },
        frontier: undefined,
        subscribed: new Set(),
        catchingUp: new Set(),
        pending: new Set(),
        lastEventAt: this.now(),
        status: 'active',
      };
      this.tickets.set(ticketId, st);
    }
    return st;
  }

  /** A ticket nobody listens to keeps no state: the next subscriber starts from its own snapshot. */
  private forgetIfIdle(ticketId: string, st: TicketState): void {
    if (st.subscribed.size === 0 && st.catchingUp.size === 0 && st.pending.size === 0) this.tickets.delete(ticketId);
  }

  /** Tickets with at least one open socket (computed at scrape time, not per connect). */
  subscribedTickets(): number {
    let n = 0;
    for (const st of this.tickets.values()) if (st.subscribed.size + st.catchingUp.size > 0) n++;
    return n;
  }

  /** Connections waiting for their snapshot. */
  pendingCount(): number {
    let n = 0;
    for (const st of this.tickets.values()) n += st.pending.size;
    return n;
  }
}
