/**
 * Keeps the `ws` comparator's sockets alive the way the uWS gateway keeps its own (gateway/stream/route.ts):
 * the same SpreadPinger, one ping per socket per `WS_PING_INTERVAL` spread over the interval, and a socket
 * that has sent nothing (no pong, no message) for `idleTimeoutSeconds` is dropped without a close frame, as
 * uWS's idle timeout does. Until this, the comparator pinged nothing, so the two gateways did unequal jobs
 * (333 pings a second at 10,000 sockets for uWS alone).
 */
import type { WebSocket } from 'ws';
import { idleTimeoutSeconds, SpreadPinger, type PingSlots } from '../gateway/stream/pinger';

/**
 * What the pinger holds per socket; the idle check runs at the socket's ping. Silence is counted in wall time
 * AND in pings left unanswered: uWS counts its idle timeout in ticks of its own timer, so an event loop busy
 * for seconds slows its clock too, and with wall time alone a busy comparator (pings a tenth as often during
 * a burst) dropped two thirds of 10,000 live sockets that had answered every ping they were sent.
 */
class KeptSocket {
  lastSeen = Date.now();
  slot: number | undefined;
  private unanswered = 0;
  constructor(
    readonly ws: WebSocket,
    private readonly idleMs: number,
  ) {}
  seen(): void {
    this.lastSeen = Date.now();
    this.unanswered = 0;
  }
  ping(): void {
    if (this.unanswered >= 2 && Date.now() - this.lastSeen > this.idleMs) {
      this.ws.terminate();
      return;
    }
    this.unanswered++;
    this.ws.ping();
  }
}

const keptSlots: PingSlots<KeptSocket> = {
  get: (k) => k.slot,
  set: (k, slot) => void (k.slot = slot),
};

export class WsKeepAlive {
  private readonly pinger: SpreadPinger<KeptSocket>;
  private readonly idleMs: number;

  constructor(pingIntervalMs: number) {
    this.pinger = new SpreadPinger(pingIntervalMs, keptSlots);
    this.idleMs = idleTimeoutSeconds(pingIntervalMs) * 1000;
  }

  start(): void {
    this.pinger.start();
  }

  stop(): void {
    this.pinger.stop();
  }

  /** Joins the pings; the socket leaves them when it closes. */
  add(ws: WebSocket): void {
    const kept = new KeptSocket(ws, this.idleMs);
    const seen = () => kept.seen();
    ws.on('pong', seen);
    ws.on('message', seen);
    ws.on('close', () => this.pinger.remove(kept));
    this.pinger.add(kept);
  }
}
