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
 *   5. fixed rate (at one N): full collections of the server's heap and a fixed-rate warm-up (not measured),
 *      then a steady record rate for a few seconds, repeated; latency p50/p99. With the mirrored order
 *      (fixed-visits.ts) half the repeats wait for a second visit: after every kind's run, the kinds in reverse
 *      order start their server again, open their sockets, warm up and run the rest;
 *   6. close the sockets, stop the server.
 * Kafka kinds get their records from a producer in this process; the raw kind makes them in the server
 * process (gateway.deliver), paced the same way. Every phase is bounded by count and by time.
 */
import crypto from 'node:crypto';
import { logLevel } from 'kafkajs';
import { createKafka } from '../core/kafka';
import type { ConnectRequest, ConnectResult } from './client-child';
import { benchTicketId, SeqCounter } from './events';
import { fixedVisits, type FixedVisit } from './fixed-visits';
import { Child } from './ipc';
import { createLeanProducer, kafkajsProducer } from './lean-producer';
import type { PaceSpec } from './pace';
import type { PhaseResult } from './phase-io';
import { runPhase, type RunContext, type ServerChild } from './phase-run';

export type { CpuBreakdown, PhaseResult } from './phase-io';
import { fmtMs, fmtPhase, fmtRate, medianBy } from './phase-io';
import { findKafkaBrokerPid } from './proc-cpu';
import type { MemoryReading, ServerHello } from './server-child';
import { withTimeout } from '../core/with-timeout';

import {
  splitKind,
  variantEnv,
  type BenchKind,
  type BenchOptions,
  type BenchResult,
  type RunResult,
} from './bench-types';
export { kindLabel, kindLabels, serverKinds, type BenchOptions, type BenchResult, type RunResult } from './bench-types';

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
  const schedule: string[] = [];
  try {
    for (let i = 0; i < opts.clientProcesses; i++) clients.push(new Child(`client-${i}`, 'client-child.ts', childEnv));
    await Promise.all(clients.map((c) => withTimeout(c.hello, 60_000, `${c.name} start`)));
    for (const sockets of opts.sizes) {
      const f = opts.fixedRate?.sockets === sockets ? opts.fixedRate : undefined;
      const visits = fixedVisits(opts.kinds, f?.repeats ?? 0, f?.order ?? 'mirrored');
      const here = new Map<BenchKind, RunResult>();
      for (const visit of visits) {
        // Every Kafka kind faces the lean producer unless its variant asks for kafkajs's (lean-producer.ts).
        const choice = variantEnv(visit.kind).BENCH_PRODUCER ?? 'lean';
        if (choice !== 'lean' && choice !== 'kafkajs') throw new Error(`BENCH_PRODUCER=${choice}: lean or kafkajs`);
        const ctx = {
          opts,
          kind: visit.kind,
          sockets,
          clients,
          producer: producers[choice],
          topic,
          childEnv,
          brokerPid,
        };
        here.set(visit.kind, await runOne(ctx, visit, here.get(visit.kind), schedule));
      }
      for (const kind of opts.kinds) runs.push(here.get(kind)!);
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
    fixedRateSchedule: schedule,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * One visit of one kind at one socket count: its server and sockets, then either the whole run (visit 1) or
 * only the fixed-rate warm-up and repeats left for the second visit, added to `earlier` (fixed-visits.ts).
 */
async function runOne(
  ctx: RunContext,
  visit: FixedVisit,
  earlier: RunResult | undefined,
  schedule: string[],
): Promise<RunResult> {
  const { opts, kind, sockets, clients } = ctx;
  const tickets = Math.ceil(sockets / opts.perTicket);
  // Ticket ids and group names allow no '+': a variant's tag is `uws-<name>`. A second visit has tickets of its
  // own: its fresh server knows the old ones only from an empty snapshot, and their next seqs (hundreds in)
  // would be a gap to resync, never delivered.
  const runTag = `${kind.replace('+', '-')}${sockets}${visit.visit === 2 ? 'v2' : ''}`;
  const ticketIds = Array.from({ length: tickets }, (_, i) => benchTicketId(runTag, i));
  opts.log(`[${kind} N=${sockets}] starting server${visit.visit === 2 ? ' again (second fixed-rate visit)' : ''}`);
  const server: ServerChild = new Child<ServerHello>(`server-${kind}`, 'server-child.ts', {
    ...ctx.childEnv,
    ...variantEnv(kind),
    BENCH_SERVER_KIND: splitKind(kind).kind,
    BENCH_SERVER_LABEL: kind.replace('+', '-'),
    BENCH_INSTANCE: `bench-${runTag}-${process.pid}-${Date.now().toString(36)}`,
  });
  try {
    const hello = await withTimeout(server.hello, 90_000, `${server.name} ready`);
    // The memory reading is the first visit's (three forced GCs each time: not worth repeating).
    const before = earlier ? undefined : await server.request<MemoryReading>('memory');

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
    const seqs = new SeqCounter();
    const phase = (name: string, pace: PaceSpec, stopPid?: number) =>
      runPhase({ ...ctx, server, ticketIds, seqs, name, pace, expectedPerRecord: opts.perTicket, stopPid });
    const f = opts.fixedRate;
    const lanes = opts.producerLanes;
    /** The visit's fixed-rate warm-up (not measured: logged only) and its measured repeats. */
    const fixedRate = async (): Promise<PhaseResult[]> => {
      if (!f || f.sockets !== sockets || visit.repeats === 0) return [];
      const rate = (durationMs: number): PaceSpec => ({ mode: 'rate', ratePerSec: f.ratePerSec, durationMs, lanes });
      // Full collections first (the memory request forces them): the throughput bursts' garbage otherwise set off
      // mark-compacts inside the measured repeats (the uWS server's two in one repeat, each with 60 ms of
      // delayed records around it; issue 15, ninth round), a cost of the bursts, not of the steady rate.
      await server.request<MemoryReading>('memory');
      if (f.warmupMs > 0) {
        const w = await phase('fixed-rate warm-up', rate(f.warmupMs));
        opts.log(`[${kind} N=${sockets}] fixed-rate warm-up, not measured: ${fmtPhase(w)}`);
        schedule.push(`${kind} warm-up`);
      }
      const out: PhaseResult[] = [];
      for (let i = 0; i < visit.repeats; i++) {
        const r = await phase('fixed-rate', rate(f.durationMs));
        const n = (earlier?.fixedRateSamples?.length ?? 0) + i + 1;
        opts.log(`[${kind} N=${sockets}] fixed ${f.ratePerSec} rec/s #${n} (visit ${visit.visit}): ${fmtPhase(r)}`);
        schedule.push(`${kind} #${n}`);
        out.push(r);
      }
      return out;
    };
    if (earlier) {
      const more = await fixedRate();
      await Promise.all(clients.map((c) => c.request('disconnect', { timeoutMs: 10_000 }, 20_000)));
      return withFixed(earlier, more, visit.visit);
    }
    if (!before) throw new Error('a first visit reads the memory before its sockets');
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

    const raw = splitKind(kind).kind === 'raw';
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
    const fixed = await fixedRate();

    await Promise.all(clients.map((c) => c.request('disconnect', { timeoutMs: 10_000 }, 20_000)));
    const run: RunResult = {
      kind,
      sockets,
      tickets,
      connect: { opened, refused, seconds: connectSeconds, upgradesPerSec: opened / connectSeconds },
      memory,
      throughput,
      throughputSamples: bursts.map((b) => b.deliveriesPerSec),
      backlog,
    };
    return withFixed(run, fixed, visit.visit);
  } finally {
    await server.stop(10_000);
  }
}

/** The run with a visit's fixed-rate repeats added: every repeat kept in run order, the median p99 quoted. */
function withFixed(run: RunResult, repeats: PhaseResult[], visit: 1 | 2): RunResult {
  if (repeats.length === 0) return run;
  const all = [...(run.fixedRatePhases ?? []), ...repeats];
  const samples = repeats.map((r) => ({ p50Ms: r.p50Ms, p99Ms: r.p99Ms, maxMs: r.maxMs, visit }));
  return {
    ...run,
    fixedRatePhases: all,
    fixedRate: medianBy(all, (r) => r.p99Ms ?? Infinity),
    fixedRateSamples: [...(run.fixedRateSamples ?? []), ...samples],
  };
}

export { fmtMs, fmtRate };
