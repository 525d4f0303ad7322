/**
 * Pings every socket once per interval, spread evenly across it.
 *
 * uWS's automatic pings fire from its 4-second timer ticks, so sockets that connected together (a deploy, a
 * reconnect storm after a network blip) are all pinged in the same tick: at 10,000 sockets that burst of
 * pings and pongs stalled deliveries for ~100 ms (p99 101 ms against 5.8 ms without it, docs/benchmarks.md).
 * Here each socket joins one of `intervalMs / tickMs` buckets in turn and one bucket is pinged per tick, so
 * the cost is the same but flat. A peer that stops answering is still closed by uWS's idle timeout, which
 * the pongs reset.
 */
import type { WebSocket } from 'uWebSockets.js';

export interface PingSlot {
  pingSlot?: number;
}

/** Where a socket's bucket is kept: in the socket's own data, so removal needs no lookup table. */
export interface PingSlots<S> {
  get(ws: S): number | undefined;
  set(ws: S, slot: number): void;
}

/** A uWS socket keeps its bucket in its user data. */
export function uwsPingSlots<T extends PingSlot>(): PingSlots<WebSocket<T>> {
  return {
    get: (ws) => ws.getUserData().pingSlot,
    set: (ws, slot) => void (ws.getUserData().pingSlot = slot),
  };
}

/** Generic over the socket so the bench's `ws` comparator keeps its sockets alive the same way. */
export class SpreadPinger<S extends { ping(): unknown }> {
  private readonly buckets: Set<S>[];
  private readonly tickMs: number;
  private assign = 0;
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    intervalMs: number,
    private readonly slots: PingSlots<S>,
    tickMs = 50,
  ) {
    this.tickMs = Math.max(10, Math.min(tickMs, intervalMs));
    const count = Math.max(1, Math.round(intervalMs / this.tickMs));
    this.buckets = Array.from({ length: count }, () => new Set<S>());
  }

  add(ws: S): void {
    const slot = this.assign;
    this.assign = (this.assign + 1) % this.buckets.length;
    this.slots.set(ws, slot);
    this.buckets[slot]!.add(ws);
  }

  /** Call from the close handler (the socket must not be touched after it). */
  remove(ws: S): void {
    const slot = this.slots.get(ws);
    if (slot !== undefined) this.buckets[slot]?.delete(ws);
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const bucket = this.buckets[this.cursor]!;
    this.cursor = (this.cursor + 1) % this.buckets.length;
    for (const ws of bucket) {
      try {
        ws.ping();
      } catch {
        // A socket closed without passing through remove() must never take the process down from a timer.
        bucket.delete(ws);
      }
    }
  }
}

/**
 * uWS counts idle time in seconds with a 4 s granularity and needs at least 8, and closes a socket idle that
 * long without a close frame. A socket is pinged once per interval and its pong resets the timer. The
 * timeout spans two intervals and a quarter, so a peer is dropped for missing a pong, not for one pong late:
 * with one and a half intervals a pong had half an interval, and on an overloaded machine (load 25, pongs
 * queued behind seconds of backlog) half of 10,000 live bench sockets were dropped that way, on the Kafka
 * and the raw path alike, and none with pings every 10 minutes (docs/benchmarks.md).
 */
export function idleTimeoutSeconds(pingIntervalMs: number): number {
  return Math.max(8, Math.ceil((pingIntervalMs * 2.25) / 4000) * 4);
}
