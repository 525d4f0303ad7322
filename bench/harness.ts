/**
 * The benchmark itself, as a function the CLI (run.ts) and the smoke test share.
 *
 * For each socket count N and each server kind (uws, ws, raw), in that order:
 *   1. fork the server alone in its process; wait until its Kafka consumer has joined;
 *   2. RSS after gc, open N authenticated sockets from the client processes (perTicket per ticket), RSS
 *      after gc again: (after - before) / N is the memory per idle authenticated socket;
 *   3. warm-up burst (not measured);
 *   4. throughput: a bounded burst of records, as fast as the path takes them; deliveries/s is every frame
 *      the clients received divided by the time from the first send to the last receive;
 *   5. fixed rate (at one N): a steady record rate for a few seconds; latency p50/p99;
 *   6. close the sockets, stop the server.
 * Kafka kinds get their records from a producer in this process; the raw kind makes them in the server
 * process (gateway.deliver), paced the same way. Every phase is bounded by count and by time.
 */
import crypto from 'node:crypto';
import { logLevel } from 'kafkajs';
import { createKafka } from '../core/kafka';
import type { ConnectRequest, ConnectResult, PhaseReport } from './client-child';
import { nowUs } from './clock';
import { benchTicketId, SeqCounter } from './events';
import { LatencyHistogram } from './histogram';
import { produceAsBacklog } from './backlog';
import { Child } from './ipc';
import { createLeanProducer, kafkajsProducer, type BenchProducer } from './lean-producer';
import type { PaceSpec } from './pace';
import type { PhaseResult } from './phase-io';

export type { CpuBreakdown, PhaseResult } from './phase-io';
import { fmtMs, fmtPhase, fmtRate, medianBy, produceToKafka, sumCounts, waitForDeliveries } from './phase-io';
import { findKafkaBrokerPid, processCpuMs } from './proc-cpu';
import type { MemoryReading, RawProduceResult, ServerHello, ServerWindow } from './server-child';
import { withTimeout } from '../core/with-timeout';
import { Timeline } from './timeline';

import {
  splitKind,
  variantEnv,
  type BenchKind,
  type BenchOptions,
  type BenchResult,
  type RunResult,
} from './bench-types';
export { kindLabel, kindLabels, serverKinds, type BenchOptions, type BenchResult, type RunResult } from './bench-types';

type ServerChild = Child<ServerHello>;
const sends = new Timeline('producer');

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const kafka = createKafka(opts.kafka, { logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 200 } });
  const topic = `bench-events-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    JWT_SECRET: crypto.randomBytes(32).toString('base64'),
    KAFKA_BROKERS: opts.kafka.brokers.join(','),
    BENCH_TOPIC: topic,
  };
  const admin = kafka.admin();
  await admin.connect();
  const partitions = opts.kafka.partitions;
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const kafkajs = kafka.producer({ allowAutoTopicCreation: false });
  await kafkajs.connect();
  const producers = { lean: await createLeanProducer(kafka, topic), kafkajs: kafkajsProducer(kafkajs, topic) };
  const brokerPid = findKafkaBrokerPid(Number(opts.kafka.brokers[0]?.split(':').at(-1)));
  const clients: Child[] = [];
  const runs: RunResult[] = [];
  try {
    for (let i = 0; i < opts.clientProcesses; i++) clients.push(new Child(`client-${i}`, 'client-child.ts', childEnv));
    await Promise.all(clients.map((c) => withTimeout(c.hello, 60_000, `${c.name} start`)));
    for (const sockets of opts.sizes) {
      for (const kind of opts.kinds) {
        // Every Kafka kind faces the lean producer unless its variant asks for kafkajs's (lean-producer.ts).
        const choice = variantEnv(kind).BENCH_PRODUCER ?? 'lean';
        if (choice !== 'lean' && choice !== 'kafkajs') throw new Error(`BENCH_PRODUCER=${choice}: lean or kafkajs`);
        const producer = producers[choice];
        runs.push(await runOne({ opts, kind, sockets, clients, producer, topic, childEnv, brokerPid }));
      }
    }
  } finally {
    await Promise.all(clients.map((c) => c.stop(3_000)));
    await Promise.all(Object.values(producers).map((p) => p.close().catch(() => undefined)));
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  const { log: _log, throughputRecords, kafka: _k, ...rest } = opts;
  return {
    startedAt: new Date(started).toISOString(),
    topic,
    options: { ...rest, throughputRecords: Object.fromEntries(opts.sizes.map((n) => [n, throughputRecords(n)])) },
    runs,
    seconds: (Date.now() - started) / 1000,
  };
}

interface RunContext {
  opts: BenchOptions;
  kind: BenchKind;
  sockets: number;
  clients: Child[];
  producer: BenchProducer;
  topic: string;
  childEnv: NodeJS.ProcessEnv;
  brokerPid?: number;
}

async function runOne(ctx: RunContext): Promise<RunResult> {
  const { opts, kind, sockets, clients } = ctx;
  const tickets = Math.ceil(sockets / opts.perTicket);
  // Ticket ids and group names allow no '+': a variant's tag is `uws-<name>`.
  const runTag = `${kind.replace('+', '-')}${sockets}`;
  const ticketIds = Array.from({ length: tickets }, (_, i) => benchTicketId(runTag, i));
  opts.log(`[${kind} N=${sockets}] starting server`);
  const server: ServerChild = new Child<ServerHello>(`server-${kind}`, 'server-child.ts', {
    ...ctx.childEnv,
    ...variantEnv(kind),
    BENCH_SERVER_KIND: splitKind(kind).kind,
    BENCH_SERVER_LABEL: kind.replace('+', '-'),
    BENCH_INSTANCE: `bench-${runTag}-${process.pid}-${Date.now().toString(36)}`,
  });
  try {
    const hello = await withTimeout(server.hello, 90_000, `${server.name} ready`);
    const before = await server.request<MemoryReading>('memory');

    // Tickets are split whole between client processes (each ticket's sockets live in one process).
    const share = clients.map((_, i) => ticketIds.filter((_, t) => t % clients.length === i));
    const connectStart = performance.now();
    const connected = await Promise.all(
      clients.map((c, i) =>
        c.request<ConnectResult>(
          'connect',
          {
            port: hello.port,
            tickets: share[i]!,
            perTicket: opts.perTicket,
            concurrency: 64,
            timeoutMs: 120_000,
          } satisfies ConnectRequest,
          130_000,
        ),
      ),
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const opened = connected.reduce((s, c) => s + c.opened, 0);
    const refused: Record<string, number> = {};
    for (const c of connected) for (const [k, v] of Object.entries(c.refused)) refused[k] = (refused[k] ?? 0) + v;
    if (opened < sockets)
      opts.log(`[${kind} N=${sockets}] only ${opened}/${sockets} sockets opened; refused: ${JSON.stringify(refused)}`);
    const after = await server.request<MemoryReading>('memory');
    const memory = {
      before,
      after,
      rssPerSocketBytes: (after.rss - before.rss) / Math.max(1, opened),
      heapPerSocketBytes: (after.heapUsed - before.heapUsed) / Math.max(1, opened),
    };
    opts.log(
      `[${kind} N=${sockets}] ${opened} sockets in ${connectSeconds.toFixed(1)} s; RSS +${(memory.rssPerSocketBytes / 1024).toFixed(2)} KiB/socket`,
    );

    const seqs = new SeqCounter();
    const raw = splitKind(kind).kind === 'raw';
    const phase = (name: string, pace: PaceSpec, stopPid?: number) =>
      runPhase({ ...ctx, server, ticketIds, seqs, name, pace, expectedPerRecord: opts.perTicket, stopPid });
    const lanes = opts.producerLanes;
    if (opts.warmupRecords > 0)
      await phase('warm-up', { mode: 'burst', total: opts.warmupRecords, batch: opts.burstBatch, lanes });
    const bursts: PhaseResult[] = [];
    for (let i = 0; i < Math.max(1, opts.throughputRepeats); i++) {
      const b = await phase('throughput', {
        mode: 'burst',
        total: opts.throughputRecords(sockets),
        batch: opts.burstBatch,
        lanes,
      });
      opts.log(
        `[${kind} N=${sockets}] throughput ${fmtRate(b.deliveriesPerSec)} deliveries/s (${b.delivered}/${b.expected}), p50 ${fmtMs(b.p50Ms)} p99 ${fmtMs(b.p99Ms)}${b.closedDuringPhase ? `; ${b.closedDuringPhase} sockets closed (codes ${JSON.stringify(b.closeCodes)})` : ''}`,
      );
      bursts.push(b);
    }
    const throughput = medianBy(bursts, (b) => b.deliveriesPerSec);
    const burst: PaceSpec = { mode: 'burst', total: opts.throughputRecords(sockets), batch: opts.burstBatch, lanes };
    const backlog = opts.backlog && !raw ? await phase('backlog', burst, hello.pid) : undefined;
    if (backlog) opts.log(`[${kind} N=${sockets}] backlog ${fmtRate(backlog.deliveriesPerSec)} deliveries/s`);
    const fixed: PhaseResult[] = [];
    const f = opts.fixedRate;
    for (let i = 0; f && f.sockets === sockets && i < f.repeats; i++) {
      const r = await phase('fixed-rate', { mode: 'rate', ratePerSec: f.ratePerSec, durationMs: f.durationMs, lanes });
      opts.log(`[${kind} N=${sockets}] fixed ${f.ratePerSec} rec/s #${i + 1}: ${fmtPhase(r)}`);
      fixed.push(r);
    }

    await Promise.all(clients.map((c) => c.request('disconnect', { timeoutMs: 10_000 }, 20_000)));
    return {
      kind,
      sockets,
      tickets,
      connect: { opened, refused, seconds: connectSeconds, upgradesPerSec: opened / connectSeconds },
      memory,
      throughput,
      throughputSamples: bursts.map((b) => b.deliveriesPerSec),
      backlog,
      fixedRate: fixed.length > 0 ? medianBy(fixed, (r) => r.p99Ms ?? Infinity) : undefined,
      fixedRateSamples:
        fixed.length > 0 ? fixed.map((r) => ({ p50Ms: r.p50Ms, p99Ms: r.p99Ms, maxMs: r.maxMs })) : undefined,
    };
  } finally {
    await server.stop(10_000);
  }
}

interface PhaseContext extends RunContext {
  server: ServerChild;
  ticketIds: string[];
  seqs: SeqCounter;
  name: string;
  pace: PaceSpec;
  expectedPerRecord: number;
  /** The server's pid: stop it while producing and measure from its continuation (backlog.ts). */
  stopPid?: number;
}

async function runPhase(ctx: PhaseContext): Promise<PhaseResult> {
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

export { fmtMs, fmtRate };
