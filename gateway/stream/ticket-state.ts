/**
 * What the hub keeps per socket (uWS user data) and per ticket, and the registry of tickets under the hub's
 * fan-out: counts, idle and drain closes, holding records back for a resync. A ticket's state lives only
 * while someone listens to it or waits for its snapshot (forgetIfIdle).
 */
import type { WebSocket } from 'uWebSockets.js';
import type { TicketEvent } from '../../core/events';
import { limits } from '../../core/limits';
import type { Logger } from '../../core/logger';
import { CloseCode, CloseReason } from '../close-codes';
import type { TicketSnapshot } from '../snapshot-source';
import type { Position } from './position';
import { newPressureFields, type PressureState } from './pressure';
import type { SessionStatus } from './session-status';

/** Which view of a ticket a socket gets. */
export type Audience = 'agent' | 'customer';

/** What a customer may see of an event (null: nothing). */
export type CustomerView = (event: TicketEvent) => TicketEvent | null;

/** What a connection carries from its upgrade to its close (uWS user data). */
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
  /** When the token that opened it expires (epoch ms): the socket is closed then (TOKEN_EXPIRED). */
  expiresAt: number;
  closing: boolean;
  /** Counted in the hub's sockets (set by attach, cleared by detach). */
  attached?: boolean;
  closeReason?: SessionStatus;
  /** The ping bucket this socket is in (see pinger.ts). */
  pingSlot?: number;
  /** Its slot in the principal's open-stream cap, given back on close (limits/stream-slots.ts). */
  leaseId: string;
}

export type StreamSocket = WebSocket<StreamSocketData>;

export interface PendingConnection {
  ticketId: string;
  buffer: TicketEvent[];
  overflowed: boolean;
}

export interface TicketState extends PressureState {
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
  /**
   * Set while the ticket waits for a fresh snapshot after a gap Kafka could not fill: live records are kept
   * here, in order, and handed on once the snapshot has been sent (see TicketHub.hold).
   */
  held: TicketEvent[] | undefined;
  /** Set while an implausible record is checked against the workflow: the ticket's later records wait here. */
  checking: { event: TicketEvent; json: string | undefined }[] | undefined;
  /**
   * A record with a seq above this goes to the record check first (record-bounds.ts): the frontier plus
   * `limits.seqJump`, -Infinity while a check runs (later records queue behind it), +Infinity without a frontier.
   * Kept current by `gate`, so the fan-out pays one comparison per record.
   */
  checkAbove: number;
}

/** Recomputes `st.checkAbove` after its frontier or its check changed. */
export function gate(st: TicketState): void {
  st.checkAbove = st.checking
    ? Number.NEGATIVE_INFINITY
    : st.frontier
      ? st.frontier.seq + limits.seqJump
      : Number.POSITIVE_INFINITY;
}

export function ticketTopic(ticketId: string, audience: Audience = 'agent'): string {
  return audience === 'agent' ? `ticket/${ticketId}` : `ticket/${ticketId}/customer`;
}

export function newTicketState(ticketId: string, now: number): TicketState {
  return {
    topics: { agent: ticketTopic(ticketId, 'agent'), customer: ticketTopic(ticketId, 'customer') },
    audienceCounts: { agent: 0, customer: 0 },
    frontier: undefined,
    subscribed: new Set(),
    catchingUp: new Set(),
    pending: new Set(),
    lastEventAt: now,
    status: 'active',
    held: undefined,
    checking: undefined,
    checkAbove: Number.POSITIVE_INFINITY,
    ...newPressureFields(),
  };
}

/** Every ticket someone listens to or waits for, and the counts the metrics read from them. */
export class TicketRegistry {
  protected readonly tickets = new Map<string, TicketState>();
  /** No socket's token expires before this (epoch ms). */
  private earliestExpiry = Number.POSITIVE_INFINITY;

  constructor(
    protected readonly now: () => number,
    protected readonly logger: Logger,
  ) {}

  get ticketCount(): number {
    return this.tickets.size;
  }

  /**
   * Kafka lost records it can no longer give (a gap the consumer reports): every ticket with sockets keeps
   * its live records back until `release` brings its fresh snapshot. Returns the tickets to query.
   */
  hold(): string[] {
    const held: string[] = [];
    for (const [ticketId, st] of this.tickets) {
      if (st.subscribed.size + st.catchingUp.size === 0) continue;
      st.held ??= [];
      held.push(ticketId);
    }
    return held;
  }

  /** Holds one ticket's live records for `release` (unless a resync already holds them); false if not held. */
  holdTicket(ticketId: string): boolean {
    const st = this.tickets.get(ticketId);
    if (!st || st.held) return false;
    st.held = [];
    return true;
  }

  /** Whether `st` is still the state kept for `ticketId` (it is forgotten once nobody listens). */
  isCurrent(ticketId: string, st: TicketState): boolean {
    return this.tickets.get(ticketId) === st;
  }

  /** Open sessions by status (timed-out ones are closed, so they show in the logs and close counts). */
  sessionCounts(): Record<SessionStatus, number> {
    const counts: Record<SessionStatus, number> = {
      active: 0,
      waiting_for_human: 0,
      completed: 0,
      failed: 0,
      timed_out: 0,
    };
    for (const st of this.tickets.values()) counts[st.status] += st.subscribed.size + st.catchingUp.size;
    return counts;
  }

  /** The session status of `ticketId`'s open sockets (undefined when none). */
  ticketSessionStatus(ticketId: string): SessionStatus | undefined {
    return this.tickets.get(ticketId)?.status;
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
          this.logger.info('session idle, closing', {
            ticketId: d.ticketId,
            sub: d.sub,
            idleMs: t - Math.max(d.lastInboundAt, d.connectedAt, st.lastEventAt),
          });
          this.end(ws, 'SESSION_IDLE');
          closed++;
        }
      }
    }
    return closed;
  }

  /**
   * Closes sockets whose token has expired: a stream must not outlive the credential that opened it. Runs
   * every second, so it looks at the sockets only once the earliest expiry has come (a walk over 10,000
   * sockets' native user data each second was a stall of its own).
   */
  closeExpired(): number {
    const t = this.now();
    if (t < this.earliestExpiry) return 0;
    let closed = 0;
    let next = Number.POSITIVE_INFINITY;
    for (const st of [...this.tickets.values()]) {
      for (const ws of [...st.subscribed, ...st.catchingUp]) {
        const d = ws.getUserData();
        if (d.expiresAt > t) {
          next = Math.min(next, d.expiresAt);
          continue;
        }
        this.logger.info('token expired, closing stream', { ticketId: d.ticketId, sub: d.sub });
        this.end(ws, 'TOKEN_EXPIRED');
        closed++;
      }
    }
    this.earliestExpiry = next;
    return closed;
  }

  /** A socket joined with a token expiring at `expiresAt`. */
  protected noteExpiry(expiresAt: number): void {
    if (!(expiresAt >= this.earliestExpiry)) this.earliestExpiry = expiresAt;
  }

  /** Closes every socket (drain). */
  closeAll(code: 'GOING_AWAY' | 'INTERNAL_ERROR'): void {
    for (const st of [...this.tickets.values()]) {
      for (const ws of [...st.subscribed, ...st.catchingUp]) this.end(ws, code);
    }
  }

  protected end(
    ws: StreamSocket,
    code: 'TICKET_CLOSED' | 'GOING_AWAY' | 'SESSION_IDLE' | 'TOKEN_EXPIRED' | 'SLOW_CONSUMER' | 'INTERNAL_ERROR',
  ): void {
    const d = ws.getUserData();
    if (d.closing) return;
    d.closing = true;
    // end() runs the close handler synchronously, which detaches the socket.
    ws.end(CloseCode[code], CloseReason[code]);
  }

  protected stateFor(ticketId: string): TicketState {
    let st = this.tickets.get(ticketId);
    if (!st) {
      st = newTicketState(ticketId, this.now());
      this.tickets.set(ticketId, st);
    }
    return st;
  }

  /** A ticket nobody listens to keeps no state: the next subscriber starts from its own snapshot. */
  protected forgetIfIdle(ticketId: string, st: TicketState): void {
    if (st.subscribed.size === 0 && st.catchingUp.size === 0 && st.pending.size === 0) this.tickets.delete(ticketId);
  }
}
