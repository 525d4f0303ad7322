/**
 * The benchmark's plumbing around a phase: the Kafka producer side of a phase, waiting for the clients, the
 * median of repeated phases, and number formatting for the log and the tables.
 */
import type { Timeline } from './timeline';
import { nowUs } from './clock';
import { benchEvent, type SeqCounter, ticketForRecord } from './events';
import type { Child } from './ipc';
import type { BenchMessage, BenchProducer } from './lean-producer';
import { laneTickets, paced, type PaceSpec } from './pace';
import type { StallReading } from './stall-watch';

export interface CpuBreakdown {
  serverMs: number;
  clientsMs: number;
  producerMs: number;
  brokerMs?: number;
}

export interface PhaseResult {
  records: number;
  expected: number;
  delivered: number;
  seconds: number;
  deliveriesPerSec: number;
  recordsPerSec: number;
  p50Ms?: number;
  p99Ms?: number;
  maxMs: number;
  unstamped: number;
  closedDuringPhase: number;
  /** Sockets the server closed in the phase, by close code. */
  closeCodes: Record<string, number>;
  serverRecordsIn: number;
  serverEventLoopUtilization: number;
  /** Kafka fetch responses and non-empty partition batches the server's consumer got in the phase. */
  consumerFetches: number;
  consumerBatches: number;
  /** The server's garbage-collection pauses and event-loop delay over the phase. */
  serverStalls: StallReading;
  cpu: CpuBreakdown;
}

export interface ProduceContext {
  producer: BenchProducer;
  ticketIds: string[];
  seqs: SeqCounter;
  pace: PaceSpec;
  /** Keeps each send's stamp and acknowledgement time when a timeline is on (timeline.ts). */
  sends?: Timeline;
}

export async function produceToKafka(ctx: ProduceContext): Promise<number> {
  const lanes = Array.from({ length: ctx.pace.lanes }, (_, lane) => ({
    tickets: laneTickets(ctx.ticketIds, ctx.pace.lanes, lane),
    index: 0,
  }));
  return paced(ctx.pace, (laneNo, count) => {
    const lane = lanes[laneNo]!;
    const t = nowUs();
    const at = new Date().toISOString();
    const messages = new Array<BenchMessage>(count);
    for (let i = 0; i < count; i++) {
      const ticketId = ticketForRecord(lane.tickets, lane.index++);
      messages[i] = { key: ticketId, value: JSON.stringify(benchEvent(ticketId, ctx.seqs.take(ticketId), at, t)) };
    }
    const sent = ctx.producer.send(messages);
    const sends = ctx.sends;
    return sends?.active ? sent.then(() => sends.add(t, nowUs(), count)) : sent;
  });
}

/** Adds up counts by key (the clients' close codes). */
export function sumCounts(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of all) for (const [k, v] of Object.entries(counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Polls the clients until every expected frame arrived or nothing new arrived for `stallMs`. */
export async function waitForDeliveries(clients: Child[], expected: number, stallMs: number): Promise<number> {
  let last = -1;
  let lastChange = performance.now();
  for (;;) {
    const progress = await Promise.all(clients.map((c) => c.request<{ received: number }>('progress')));
    const received = progress.reduce((s, p) => s + p.received, 0);
    if (received >= expected) return received;
    if (received !== last) {
      last = received;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > stallMs) {
      return received;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function fmtRate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}

export function fmtMs(ms: number | undefined): string {
  return ms === undefined ? '-' : ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`;
}

/** The middle element by `key` (the lower middle for an even count); `items` must not be empty. */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor((items.length - 1) / 2)]!;
}

/** One phase's latency and where its CPU went, for the progress log. */
export function fmtPhase(r: PhaseResult): string {
  const s = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(2);
  const st = r.serverStalls;
  const closes = r.closedDuringPhase
    ? `; ${r.closedDuringPhase} sockets closed (codes ${JSON.stringify(r.closeCodes)})`
    : '';
  return `p50 ${fmtMs(r.p50Ms)} p99 ${fmtMs(r.p99Ms)} (${r.delivered}/${r.expected}${closes}); ELU ${r.serverEventLoopUtilization.toFixed(2)}, ${r.consumerFetches} fetches, ${r.consumerBatches} batches; GC ${st.gcs} (${st.majorGcs} major) ${st.gcMs.toFixed(0)} ms, longest ${st.maxGcMs.toFixed(1)} ms; loop delay p99 ${st.loopDelayP99Ms.toFixed(1)} max ${st.loopDelayMaxMs.toFixed(1)} ms; CPU s server ${s(r.cpu.serverMs)} broker ${s(r.cpu.brokerMs)} producer ${s(r.cpu.producerMs)}`;
}
