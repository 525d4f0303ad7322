/**
 * A ticket's live event stream over the gateway's WebSocket, with resume. Each connection first gets a fresh
 * single-use ws-ticket (so no long-lived token goes in a URL), then connects with `since=<last seq seen>`:
 * after a drop nothing is lost (the gateway replays what came after) and nothing is doubled (events at or
 * below the last seq are dropped here too). `token` events preview the upcoming draft and never move `lastSeq`.
 */
import type { ApiClient } from './api';
import { ApiFailure } from './api';
import { TOKEN_REFRESHED } from './token-refresh';

/** Used when the gateway does not say (it sends a third of its session TTL with each ws-ticket). */
const DEFAULT_HEARTBEAT_MS = 60_000;
/** The gateway's normal close: the ticket is closed and its stream has ended (after its last event). */
const TICKET_CLOSED = 1000;
/** The gateway's close code for an idle session. */
const SESSION_IDLE = 4001;
/** The gateway's close code when the token that opened the stream expires. */
const TOKEN_EXPIRED = 4002;
/** The instance is draining: reconnect with `since` (to another one). */
const GOING_AWAY = 1001;
/** No close frame: the connection itself dropped. */
const ABNORMAL = 1006;
/** At most two silent resumes in 10 s: a socket that keeps dropping shows the person it does, with backoff. */
const SILENT_RESUMES = 2;
const SILENT_RESUME_WINDOW_MS = 10_000;

export interface StreamEvent {
  v?: number;
  ticketId: string;
  seq: number;
  part?: number;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

export type StreamState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number; inMs: number; since: number }
  | { kind: 'ended'; reason: string }
  | { kind: 'failed'; reason: string };

export interface StreamHandlers {
  onEvent(event: StreamEvent): void;
  onToken?(event: StreamEvent): void;
  onState?(state: StreamState): void;
}

/** Pulls events out of one frame, whatever wrapper the gateway uses (snapshot, batch or a single event). */
export function eventsInFrame(frame: unknown): StreamEvent[] {
  if (Array.isArray(frame)) return frame.flatMap(eventsInFrame);
  if (!frame || typeof frame !== 'object') return [];
  const f = frame as Record<string, unknown>;
  if (typeof f.seq === 'number' && typeof f.type === 'string' && typeof f.ticketId === 'string')
    return [f as unknown as StreamEvent];
  for (const key of ['events', 'snapshot', 'data', 'event']) {
    const inner = f[key];
    if (inner && typeof inner === 'object') {
      const found = eventsInFrame(inner);
      if (found.length > 0) return found;
    }
  }
  return [];
}

export class TicketStream {
  private socket: WebSocket | undefined;
  private attempt = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSeqSeen: number;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private waitingForVisibility = false;
  private silentResumes: number[] = [];
  /** Counts token refreshes: a socket whose ws-ticket was asked for before the latest one moves at once. */
  private tokenGeneration = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly ticketId: string,
    private readonly handlers: StreamHandlers,
    since = 0,
  ) {
    this.lastSeqSeen = since;
  }

  get lastSeq(): number {
    return this.lastSeqSeen;
  }

  start(): void {
    window.addEventListener(TOKEN_REFRESHED, this.onTokenRefreshed);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener(TOKEN_REFRESHED, this.onTokenRefreshed);
    this.socket?.close(1000, 'page closed the stream');
    this.socket = undefined;
  }

  private setState(state: StreamState): void {
    this.handlers.onState?.(state);
  }

  /**
   * Opens a socket with a fresh ws-ticket and `since`. `renew`: the page's token was refreshed while a socket
   * is open; the new socket takes over once open and the old one is closed (events on both are deduplicated
   * by seq), so the stream shows no break. If renewing fails, the old socket's TOKEN_EXPIRED reconnects.
   * `resume`: a live socket dropped without a close frame (or its gateway is draining) and is replaced at
   * once, still shown live: `since` loses nothing, and a failure falls back to the visible backoff.
   */
  private async connect(mode: 'fresh' | 'renew' | 'resume' = 'fresh'): Promise<void> {
    if (this.stopped) return;
    const renewing = mode === 'renew';
    if (mode === 'fresh')
      this.setState(
        this.attempt === 0
          ? { kind: 'connecting' }
          : { kind: 'reconnecting', attempt: this.attempt, inMs: 0, since: this.lastSeqSeen },
      );
    let ticket: string;
    let heartbeatMs = DEFAULT_HEARTBEAT_MS;
    const generation = this.tokenGeneration;
    try {
      const minted = await this.api.post<{ ticket: string; heartbeatMs?: number }>('/v1/ws-tickets', {
        ticketId: this.ticketId,
      });
      ticket = minted.ticket;
      if (typeof minted.heartbeatMs === 'number' && minted.heartbeatMs >= 1_000) heartbeatMs = minted.heartbeatMs;
    } catch (err) {
      if (renewing) return;
      if (err instanceof ApiFailure && (err.status === 401 || err.status === 403 || err.status === 404)) {
        this.setState({ kind: 'failed', reason: err.message });
        return;
      }
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) return;
    // Refreshed while the ticket was minted (with the old token, which bounds its life: 4002): move on once open.
    const stale = generation !== this.tokenGeneration;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${location.host}/v1/tickets/${encodeURIComponent(this.ticketId)}/stream?since=${this.lastSeqSeen}&token=${encodeURIComponent(ticket)}`;
    const socket = new WebSocket(url);
    if (!renewing) this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (renewing) {
        const old = this.socket;
        // Stopped, or the old socket already dropped and a reconnect is on its way: not needed.
        if (this.stopped || !old) return socket.close(1000, 'not needed');
        this.socket = socket;
        old.close(1000, 'moved to a fresh token');
      }
      opened = true;
      this.attempt = 0;
      this.setState({ kind: 'live' });
      if (stale) void this.connect('renew');
      // The gateway closes sessions idle past its TTL (4001). A page someone is looking at says it is alive;
      // a hidden tab stays quiet, lets the gateway close it, and reconnects when it is shown again.
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => {
        if (document.visibilityState === 'visible' && socket.readyState === WebSocket.OPEN)
          socket.send('{"kind":"ping"}');
      }, heartbeatMs);
    };
    socket.onmessage = (msg) => this.receive(msg.data);
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearInterval(this.heartbeat);
      if (this.stopped) return;
      if (ev.code === SESSION_IDLE && document.visibilityState === 'hidden') {
        this.waitingForVisibility = true;
        document.addEventListener('visibilitychange', this.onVisibility);
        this.setState({ kind: 'reconnecting', attempt: 0, inMs: 0, since: this.lastSeqSeen });
        return;
      }
      if (ev.code === TICKET_CLOSED) {
        this.setState({ kind: 'ended', reason: 'The ticket is closed; the live stream has ended.' });
        return;
      }
      // At once, with a fresh ws-ticket from the page's current token and `since`: nothing is lost, and the
      // page stays live. If that token has expired too, minting answers 401 and the page says the session is over.
      if (ev.code === TOKEN_EXPIRED) {
        void this.connect('resume');
        return;
      }
      // uWS may drop a socket just after its asynchronous upgrade (1006, see gateway/stream/route.ts); a
      // gateway draining says 1001. Either is mended by one new socket with `since`, with no need to alarm.
      if (opened && (ev.code === ABNORMAL || ev.code === GOING_AWAY) && this.silentResumeAllowed()) {
        void this.connect('resume');
        return;
      }
      // 1008 / 4401 / 4403: the gateway refused us; a fresh ws-ticket is tried, but not forever.
      if ((ev.code === 1008 || ev.code === 4401 || ev.code === 4403) && this.attempt >= 3) {
        this.setState({ kind: 'failed', reason: ev.reason || 'the stream was refused' });
        return;
      }
      this.scheduleReconnect();
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // not ours to crash on: the gateway only sends JSON, anything else is noise
    }
    for (const event of eventsInFrame(frame)) {
      if (event.type === 'token') {
        if (event.seq > this.lastSeqSeen) this.handlers.onToken?.(event);
        continue;
      }
      if (event.seq <= this.lastSeqSeen) continue;
      this.lastSeqSeen = event.seq;
      this.handlers.onEvent(event);
    }
  }

  private silentResumeAllowed(): boolean {
    const now = Date.now();
    this.silentResumes = this.silentResumes.filter((t) => now - t < SILENT_RESUME_WINDOW_MS);
    if (this.silentResumes.length >= SILENT_RESUMES) return false;
    this.silentResumes.push(now);
    return true;
  }

  private readonly onTokenRefreshed = (): void => {
    this.tokenGeneration++;
    // A socket still connecting was opened with the old token too.
    if (!this.stopped && this.socket && this.socket.readyState <= WebSocket.OPEN) void this.connect('renew');
  };

  private readonly onVisibility = (): void => {
    if (!this.waitingForVisibility || document.visibilityState !== 'visible') return;
    this.waitingForVisibility = false;
    document.removeEventListener('visibilitychange', this.onVisibility);
    void this.connect();
  };

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.attempt += 1;
    const base = Math.min(10_000, 500 * 2 ** (this.attempt - 1));
    const inMs = Math.round(base / 2 + Math.random() * (base / 2));
    this.setState({ kind: 'reconnecting', attempt: this.attempt, inMs, since: this.lastSeqSeen });
    this.timer = setTimeout(() => void this.connect(), inMs);
  }
}
