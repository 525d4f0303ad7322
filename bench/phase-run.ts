/**
 * One phase of a run (harness.ts): the clients and the server open their windows, the records are produced
 * (through Kafka, as a backlog behind a stopped server, or made in the server itself for the raw kind), the
 * clients are waited for, and the windows' counts become a PhaseResult.
 */
import type { Child } from './ipc';
import type { BenchKind, BenchOptions } from './bench-types';
import { splitKind } from './bench-types';
import type { PhaseReport } from './client-child';
import { nowUs } from './clock';
import type { SeqCounter } from './events';
import { LatencyHistogram } from './histogram';
import { produceAsBacklog } from './backlog';
import type { BenchProducer } from './lean-producer';
import type { PaceSpec } from './pace';
import { produceToKafka, sumCounts, waitForDeliveries, type PhaseResult } from './phase-io';
import { processCpuMs } from './proc-cpu';
import type { RawProduceResult, ServerHello, ServerWindow } from './server-child';
import { Timeline } from './timeline';

export type ServerChild = Child<ServerHello>;
const sends = new Timeline('producer');

export interface RunContext {
  opts: BenchOptions;
  kind: BenchKind;
  sockets: number;
  clients: Child[];
  producer: BenchProducer;
  topic: string;
  childEnv: NodeJS.ProcessEnv;
  brokerPid?: number;
}

export interface PhaseContext extends RunContext {
  server: ServerChild;
  ticketIds: string[];
  seqs: SeqCounter;
  name: string;
  pace: PaceSpec;
  expectedPerRecord: number;
  /** The server's pid: stop it while producing and measure from its continuation (backlog.ts). */
  stopPid?: number;
}

export async function runPhase(ctx: PhaseContext): Promise<PhaseResult> {
  const { clients, server, opts } = ctx;
  await Promise.all([
    ...clients.map((c) => c.request('phaseStart', { phase: ctx.name })),
    server.request('windowStart', { phase: ctx.name }),
  ]);
  const cpu0 = { producer: process.cpuUsage(), broker: processCpuMs(ctx.brokerPid) };
  sends.begin(ctx.name, 3);
  const startUs = nowUs();
  let t0 = startUs;
  let records: number;
  const raw = splitKind(ctx.kind).kind === 'raw';
  if (ctx.stopPid !== undefined) {
    const b = await produceAsBacklog(ctx.stopPid, () => produceToKafka(ctx));
    [records, t0] = [b.records, b.resumedUs];
  } else if (raw) {
    // Bursts as a consumer sees them: one partition's batch per event-loop turn (see options.ts).
    const pace: PaceSpec =
      ctx.pace.mode === 'burst'
        ? { ...ctx.pace, batch: opts.rawBatch, lanes: opts.kafka.partitions, oneLanePerTurn: true }
        : { ...ctx.pace, lanes: 1 };
    const r = await server.request<RawProduceResult>('rawProduce', { tickets: ctx.ticketIds, pace }, 300_000);
    records = r.sent;
  } else {
    records = await produceToKafka({ ...ctx, sends });
  }
  const producedUs = nowUs();
  const expected = records * ctx.expectedPerRecord;
  await waitForDeliveries(clients, expected, opts.stallMs);
  const [reports, window] = await Promise.all([
    Promise.all(clients.map((c) => c.request<PhaseReport>('phaseEnd'))),
    server.request<ServerWindow>('windowEnd'),
  ]);
  const producerCpu = process.cpuUsage(cpu0.producer);
  sends.end({ kind: ctx.kind, sockets: ctx.sockets });
  const brokerNow = processCpuMs(ctx.brokerPid);

  const hist = new LatencyHistogram();
  for (const r of reports) hist.add(r.histogram, r.maxUs);
  const delivered = reports.reduce((s, r) => s + r.received, 0);
  const lastUs = Math.max(producedUs, ...reports.map((r) => r.lastUs));
  const seconds = (lastUs - t0) / 1e6;
  const p50 = hist.quantileUs(0.5);
  const p99 = hist.quantileUs(0.99);
  return {
    records,
    expected,
    delivered,
    seconds,
    deliveriesPerSec: delivered / seconds,
    recordsPerSec: records / ((producedUs - startUs) / 1e6),
    p50Ms: p50 === undefined ? undefined : p50 / 1000,
    p99Ms: p99 === undefined ? undefined : p99 / 1000,
    maxMs: hist.maxUs / 1000,
    unstamped: reports.reduce((s, r) => s + r.unstamped, 0),
    closedDuringPhase: reports.reduce((s, r) => s + r.closedDuringPhase, 0),
    closeCodes: sumCounts(reports.map((r) => r.closeCodes)),
    serverRecordsIn: window.recordsIn,
    serverEventLoopUtilization: window.eventLoopUtilization,
    consumerFetches: window.fetches,
    consumerBatches: window.batches,
    serverStalls: window.stalls,
    cpu: {
      serverMs: window.cpuUserMs + window.cpuSystemMs,
      clientsMs: reports.reduce((s, r) => s + r.cpuUserMs + r.cpuSystemMs, 0),
      producerMs: raw ? 0 : (producerCpu.user + producerCpu.system) / 1000,
      brokerMs: cpu0.broker !== undefined && brokerNow !== undefined ? brokerNow - cpu0.broker : undefined,
    },
  };
}
