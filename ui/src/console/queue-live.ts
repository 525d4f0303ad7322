/**
 * The agents' queue stream (GET /v1/queue/stream): each change to a ticket's place in the queues, its holder
 * or its viewers arrives as one frame, so the board, the finder and "My tickets" follow the desk without
 * polling. The socket carries no history: after every (re)connect `onLive` tells the views to reload once,
 * and frames then keep them current. The token goes in the subprotocol, never in the URL. When the page's
 * token is refreshed, a socket opened with the new one takes over before the old one closes (both are
 * subscribed meanwhile; a frame seen twice is applied twice, harmlessly): no gap, no reload, never 4002.
 */
import type { QueueFrame } from '../../../core/desk';
import { TOKEN_REFRESHED } from '../shared/token-refresh';

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
    window.addEventListener(TOKEN_REFRESHED, this.onTokenRefreshed);
    this.open(false);
  }

  private readonly onTokenRefreshed = (): void => {
    // A socket still connecting was opened with the old token too.
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) this.open(true);
  };

  /** `moving`: the token was refreshed; the new socket replaces the open one once it is open itself. */
  private open(moving: boolean): void {
    const token = this.token();
    if (!token) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/v1/queue/stream`, ['ticketflow.v1', `bearer.${token}`]);
    if (!moving) this.socket = socket;
    socket.addEventListener('open', () => {
      if (moving) {
        const old = this.socket;
        // The old socket dropped meanwhile: its own reconnect (and reload) is under way.
        if (!old || old.readyState > WebSocket.OPEN) return socket.close(1000);
        this.socket = socket;
        old.close(1000, 'moved to a fresh token');
        if (this.live) return; // live all along: nothing to reload
      }
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
      this.timer = setTimeout(() => this.open(false), Math.round(base / 2 + Math.random() * (base / 2)));
    });
  }

  stop(): void {
    window.removeEventListener(TOKEN_REFRESHED, this.onTokenRefreshed);
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000);
  }
}
