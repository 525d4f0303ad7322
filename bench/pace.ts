/**
 * How records are handed to a path, shared by the Kafka producer and the raw (no-Kafka) server so both
 * phases mean the same thing:
 * - burst: `total` records in batches of `batch`, as fast as the path takes them (the throughput phase);
 * - rate: `ratePerSec` for `durationMs`, checked every millisecond, each tick sending what is due
 *   (the latency phase; records are stamped when they are handed over).
 *
 * Records travel in `lanes`, each lane owning a fixed share of the tickets and having at most one send
 * outstanding. That keeps every ticket's records in seq order (kafkajs may put two concurrent sends on the
 * wire in either order, and the gateways drop a seq at or below their frontier as a duplicate) while still
 * letting a Kafka producer keep several requests in flight. A synchronous path (the raw server) instead
 * takes one lane's batch per event-loop turn, lanes in turn (`oneLanePerTurn`): the way a Kafka consumer
 * hands over one partition's batch at a time.
 */
export type PaceSpec =
  | { mode: 'burst'; total: number; batch: number; lanes: number; oneLanePerTurn?: boolean }
  | { mode: 'rate'; ratePerSec: number; durationMs: number; lanes: number };

/** Sends lane `lane`'s next `count` records (stamping them now); a promise settles when they are accepted. */
export type SendBatch = (lane: number, count: number) => void | Promise<void>;

export async function paced(spec: PaceSpec, send: SendBatch): Promise<number> {
  return spec.mode === 'burst' ? burst(spec, send) : rate(spec, send);
}

/** The tickets lane `lane` owns (every lanes-th one), so a ticket is always in the same lane. */
export function laneTickets(tickets: readonly string[], lanes: number, lane: number): string[] {
  return tickets.filter((_, i) => i % lanes === lane);
}

async function burst(spec: Extract<PaceSpec, { mode: 'burst' }>, send: SendBatch): Promise<number> {
  const lanes = Math.max(1, spec.lanes);
  let sent = 0;
  if (spec.oneLanePerTurn) {
    const left = Array.from(
      { length: lanes },
      (_, lane) => Math.floor(spec.total / lanes) + (lane < spec.total % lanes ? 1 : 0),
    );
    for (let turn = 0; sent < spec.total; turn++) {
      const lane = turn % lanes;
      const count = Math.min(spec.batch, left[lane]!);
      if (count === 0) continue;
      left[lane]! -= count;
      sent += count;
      await send(lane, count);
      await new Promise((r) => setImmediate(r));
    }
    return sent;
  }
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      let mine = Math.floor(spec.total / lanes) + (lane < spec.total % lanes ? 1 : 0);
      while (mine > 0) {
        const count = Math.min(spec.batch, mine);
        mine -= count;
        sent += count;
        const p = send(lane, count);
        // A synchronous path gets one event-loop turn per batch so its writes go out (as a consumer's would).
        await (p ?? new Promise((r) => setImmediate(r)));
      }
    }),
  );
  return sent;
}

async function rate(spec: Extract<PaceSpec, { mode: 'rate' }>, send: SendBatch): Promise<number> {
  const lanes = Math.max(1, spec.lanes);
  const total = Math.floor((spec.ratePerSec * spec.durationMs) / 1000);
  const started = performance.now();
  const sentPerLane = new Array<number>(lanes).fill(0);
  const busy = new Array<Promise<void> | undefined>(lanes).fill(undefined);
  let sent = 0;
  let failure: Error | undefined;
  while (sent < total || busy.some(Boolean)) {
    if (failure) throw failure;
    const due = Math.min(total, Math.floor(((performance.now() - started) * spec.ratePerSec) / 1000));
    for (let lane = 0; lane < lanes; lane++) {
      if (busy[lane]) continue;
      // Record i belongs to lane i % lanes.
      const dueHere = Math.floor(due / lanes) + (lane < due % lanes ? 1 : 0);
      const count = dueHere - sentPerLane[lane]!;
      if (count <= 0) continue;
      sentPerLane[lane] = dueHere;
      sent += count;
      const p = send(lane, count);
      if (p) {
        busy[lane] = p.then(
          () => void (busy[lane] = undefined),
          (err: unknown) => {
            failure ??= err instanceof Error ? err : new Error(String(err));
            busy[lane] = undefined;
          },
        );
      }
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  if (failure) throw failure;
  return sent;
}
