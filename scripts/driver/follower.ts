/**
 * One subscriber of a ticket's stream, as a page would be: it reconnects after anything but a normal close
 * (gateway killed, draining, internal error), resuming with `?since=<last seq>`, and records what it got:
 * every durable seq, event frames that repeat a seq it already had (doubled), when each event type first
 * arrived, and whether it got `resolved`. The stream ends normally (1000) at the ticket's close.
 */
import WebSocket from 'ws';
import type { TicketEvent } from '../../core/events';

export type Audience = 'agent' | 'customer';

export interface FollowerRecord {
  ticketId: string;
  audience: Audience;
  /** Durable seqs received (snapshot events and event frames), each once. */
  seqs: Set<number>;
  /** Event frames whose seq had already been received. */
  doubled: number[];
  connects: number;
  /** Arrival time (performance.now()) of the first event of a kind, e.g. `tool:triage`, `review_requested`. */
  firstAt: Map<string, number>;
  resolved: boolean;
  lastClose?: number;
}

const RESUMABLE_WAIT_MS = [200, 500, 1_000, 2_000];

export class Follower {
  readonly record: FollowerRecord;
  private ws: WebSocket | undefined;
  private stopped = false;
  private lastSeq = 0;
  private failures = 0;
  private readonly ended: Promise<void>;
  private finish!: () => void;

  constructor(
    private readonly baseUrl: string,
    ticketId: string,
    audience: Audience,
    private readonly token: string,
    private readonly onEvent?: (e: TicketEvent) => void,
  ) {
    this.record = {
      ticketId,
      audience,
      seqs: new Set(),
      doubled: [],
      connects: 0,
      firstAt: new Map(),
      resolved: false,
    };
    this.ended = new Promise((resolve) => (this.finish = resolve));
    this.connect();
  }

  /** Resolves when the stream ended normally (the ticket closed) or stop() was called. */
  done(): Promise<void> {
    return this.ended;
  }

  stop(): void {
    this.stopped = true;
    this.ws?.terminate();
    this.finish();
  }

  private connect(): void {
    if (this.stopped) return;
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/v1/tickets/${this.record.ticketId}/stream?since=${this.lastSeq}`;
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${this.token}` }, handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on('open', () => {
      this.record.connects++;
      this.failures = 0;
    });
    ws.on('message', (data: Buffer) => this.onFrame(data.toString()));
    ws.on('error', () => undefined); // the close that follows decides what to do
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
    });
    ws.on('close', (code) => {
      this.record.lastClose = code;
      if (code === 1000) {
        this.stopped = true;
        this.finish();
        return;
      }
      if (this.stopped) return;
      const wait = RESUMABLE_WAIT_MS[Math.min(this.failures++, RESUMABLE_WAIT_MS.length - 1)]!;
      setTimeout(() => this.connect(), wait).unref();
    });
  }

  private onFrame(text: string): void {
    let frame: { kind?: string; event?: TicketEvent; events?: TicketEvent[] };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    if (frame.kind === 'snapshot') for (const e of frame.events ?? []) this.take(e, false);
    else if (frame.kind === 'event' && frame.event) this.take(frame.event, true);
  }

  private take(e: TicketEvent, live: boolean): void {
    const now = performance.now();
    const kind = e.type === 'tool' ? `tool:${String((e.data as { tool?: unknown }).tool)}` : e.type;
    if (!this.record.firstAt.has(kind)) this.record.firstAt.set(kind, now);
    if (e.type === 'token') return; // previews: not durable, not counted
    if (this.record.seqs.has(e.seq)) {
      // A snapshot that repeats what we had is a resync; a live frame that repeats is a doubled event.
      if (live) this.record.doubled.push(e.seq);
      return;
    }
    this.record.seqs.add(e.seq);
    this.lastSeq = Math.max(this.lastSeq, e.seq);
    if (e.type === 'resolved') this.record.resolved = true;
    this.onEvent?.(e);
  }
}
