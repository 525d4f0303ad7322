/**
 * The agents' queue stream (GET /v1/queue/stream): each change to a ticket's place in the queues, its holder
 * or its viewers arrives as one frame, so the board, the finder and "My tickets" follow the desk without
 * polling. The socket carries no history: after every (re)connect `onLive` tells the views to reload once,
 * and frames then keep them current. The token goes in the subprotocol, never in the URL.
 */
import type { QueueFrame } from '../../../core/desk';

export interface QueueLiveHandlers {
  onFrame(frame: QueueFrame): void;
  /** Connected (again): reload what is shown, since frames during a gap are not replayed. */
  onLive(): void;
  /** Disconnected: the views fall back to polling until `onLive`. */
  onDown?(): void;
}

export class QueueLive {
  private socket: WebSocket | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private live = false;

  constructor(
    private readonly token: () => string | null,
    private readonly handlers: QueueLiveHandlers,
  ) {}

  get connected(): boolean {
    return this.live;
  }

  start(): void {
    const token = this.token();
    if (!token) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/v1/queue/stream`, ['ticketflow.v1', `bearer.${token}`]);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.live = true;
      this.handlers.onLive();
    });
    socket.addEventListener('message', (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      try {
        this.handlers.onFrame(JSON.parse(ev.data) as QueueFrame);
      } catch {
        // A frame this console cannot read is skipped; the next reload shows the truth.
      }
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      if (this.live) this.handlers.onDown?.();
      this.live = false;
      this.attempt += 1;
      // Backoff with jitter, so consoles do not all come back at the same instant after a gateway restart.
      const base = Math.min(15_000, 500 * 2 ** (this.attempt - 1));
      this.timer = setTimeout(() => this.start(), Math.round(base / 2 + Math.random() * (base / 2)));
    });
  }

  stop(): void {
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
  }
}
