/**
 * One server under test, alone in its process (so its RSS, CPU and file descriptors are its own):
 *   uws  the project's gateway (gateway/server.ts): Kafka consumer -> hub -> app.publish
 *   ws   the plain `ws` gateway (bench/ws-gateway.ts) on the same consumer module
 *   raw  the project's gateway without Kafka: this process makes the records and calls gateway.deliver,
 *        the ceiling of the uWS fan-out itself
 * Every server gets an empty snapshot for any ticket, so no Temporal is involved.
 * Env: BENCH_SERVER_KIND, BENCH_TOPIC, BENCH_INSTANCE, JWT_SECRET, KAFKA_BROKERS.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { loadConfig } from '../core/config';
import { rootLogger, createLogger } from '../core/logger';
import type { ConsumerStats } from '../gateway/kafka/consumer';
import { createGateway } from '../gateway/server';
import type { SnapshotSource } from '../gateway/snapshot-source';
import type { CustomerView } from '../gateway/stream/hub';
import { nowUs } from './clock';
import { benchEvent, SeqCounter, ticketForRecord } from './events';
import { helloParent, serveParent } from './ipc';
import { startPhaseProfile, stopPhaseProfile } from './phase-profile';
import { StallWatch, type StallReading } from './stall-watch';
import { laneTickets, paced, type PaceSpec } from './pace';
import { createWsGateway } from './ws-gateway';
import { createKafkajsConsumer } from './kafkajs-consumer';
import { createRecordConsumer } from '../gateway/kafka/consumer';
import { GcTimeline, Timeline } from './timeline';

export type ServerKind = 'uws' | 'ws' | 'raw';

export interface ServerHello {
  port: number;
  pid: number;
}
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
  sockets: number;
}
export interface ServerWindow {
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopUtilization: number;
  recordsIn: number;
  /** The Kafka consumer over the window: fetch responses, non-empty partition batches (zero on raw). */
  fetches: number;
  batches: number;
  stalls: StallReading;
}
export interface RawProduceResult {
  sent: number;
  startUs: number;
  endUs: number;
}

rootLogger().level = process.env.BENCH_LOG_LEVEL ?? 'warn';
const kind = process.env.BENCH_SERVER_KIND as ServerKind;
const topic = process.env.BENCH_TOPIC ?? '';
const instanceId = process.env.BENCH_INSTANCE ?? `bench-${process.pid}`;
const config = loadConfig(process.env);
const logger = createLogger('bench-server', { kind, instanceId });
// The bench's records are customer-visible by construction and its frames must keep their stamp, so the
// customer view is the whole event; it is still a view the hub applies (and an identity one costs no copy).
const wholeEvent: CustomerView = (e) => e;
// With BENCH_TIMELINE_DIR: when each record was handed over by the consumer, and the GC pauses (timeline.ts).
const handovers = new Timeline('server');
const gcs = new GcTimeline();
const consumerKind = process.env.BENCH_CONSUMER === 'kafkajs' ? createKafkajsConsumer : createRecordConsumer;
const tappedConsumer: typeof createRecordConsumer = (o) =>
  consumerKind({
    ...o,
    handle(key, value, where, headers) {
      if (handovers.active && value) handovers.add(recordStamp(value), nowUs(), where.partition);
      o.handle(key, value, where, headers);
    },
  });
// A record is the event's JSON, `...{"t":<µs>}}`: the frame's tail without the frame's closing brace.
const recordStamp = (value: Buffer) =>
  Number(/"t":(\d+)\}\}$/.exec(value.toString('latin1', value.length - 30))?.[1] ?? -1);
const emptySnapshots: SnapshotSource = {
  getSnapshot: () => Promise.resolve({ status: 'open', events: [], lastSeq: 0 }),
};

interface ServerUnderTest {
  port: number;
  sockets(): number;
  recordsIn(): Promise<number>;
  consumer(): ConsumerStats;
  deliver(event: ReturnType<typeof benchEvent>): void;
  stop(): Promise<void>;
}

async function start(): Promise<ServerUnderTest> {
  if (kind === 'ws') {
    const gw = createWsGateway({ config, snapshots: emptySnapshots, topic, instanceId, logger });
    const port = await gw.listen(0, '127.0.0.1');
    await gw.waitReady(60_000);
    return {
      port,
      sockets: () => gw.sockets,
      recordsIn: () => Promise.resolve(gw.recordsIn),
      consumer: () => gw.consumerStats(),
      deliver: (e) => gw.deliver(e),
      stop: () => gw.stop(),
    };
  }
  const gw = createGateway({
    config,
    snapshots: emptySnapshots,
    topic,
    instanceId,
    logger,
    customerView: wholeEvent,
    createConsumer: process.env.BENCH_TIMELINE_DIR ? tappedConsumer : consumerKind,
    ...(kind === 'raw' ? { kafka: false as const } : {}),
  });
  const port = await gw.listen(0, '127.0.0.1');
  await gw.waitReady(60_000);
  return {
    port,
    sockets: () => gw.hub.sockets,
    recordsIn: async () => (await gw.metrics.recordsIn.get()).values.reduce((s, v) => s + v.value, 0),
    consumer: () => gw.consumerStats() ?? { fetches: 0, batches: 0, records: 0 },
    deliver: (e) => gw.deliver(e),
    stop: () => gw.stop(),
  };
}

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

void (async () => {
  const server = await start();
  const seqs = new SeqCounter();
  const stalls = new StallWatch();
  let windowStart:
    { cpu: NodeJS.CpuUsage; elu: EventLoopUtilization; recordsIn: number; consumer: ConsumerStats } | undefined;

  serveParent(
    {
      memory: async (): Promise<MemoryReading> => {
        await collectGarbage();
        const m = process.memoryUsage();
        return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, sockets: server.sockets() };
      },
      windowStart: async (body?: { phase?: string }) => {
        await startPhaseProfile(body?.phase);
        windowStart = {
          cpu: process.cpuUsage(),
          elu: performance.eventLoopUtilization(),
          recordsIn: await server.recordsIn(),
          consumer: server.consumer(),
        };
        stalls.start();
        handovers.begin(body?.phase, 3);
        gcs.begin(body?.phase);
        return {};
      },
      windowEnd: async (): Promise<ServerWindow> => {
        if (!windowStart) throw new Error('windowEnd before windowStart');
        const stalled = stalls.stop();
        await stopPhaseProfile(`${process.env.BENCH_SERVER_LABEL ?? kind}-${server.sockets()}`);
        // Read before the timelines are written out: their dump is the bench's work, not the server's.
        const cpu = process.cpuUsage(windowStart.cpu);
        const elu = performance.eventLoopUtilization(windowStart.elu);
        handovers.end({ kind });
        gcs.end({ kind });
        const c = server.consumer();
        return {
          cpuUserMs: cpu.user / 1000,
          cpuSystemMs: cpu.system / 1000,
          eventLoopUtilization: elu.utilization,
          recordsIn: (await server.recordsIn()) - windowStart.recordsIn,
          fetches: c.fetches - windowStart.consumer.fetches,
          batches: c.batches - windowStart.consumer.batches,
          stalls: stalled,
        };
      },
      // The raw ceiling: records made here and handed straight to the fan-out, paced like the Kafka producer.
      rawProduce: async (body: { tickets: string[]; pace: PaceSpec }): Promise<RawProduceResult> => {
        if (kind !== 'raw') throw new Error('rawProduce is only for the raw server');
        const lanes = Array.from({ length: body.pace.lanes }, (_, lane) => ({
          tickets: laneTickets(body.tickets, body.pace.lanes, lane),
          index: 0,
        }));
        const startUs = nowUs();
        const sent = await paced(body.pace, (laneNo, count) => {
          const lane = lanes[laneNo]!;
          const t = nowUs();
          const at = new Date().toISOString();
          for (let i = 0; i < count; i++) {
            const ticketId = ticketForRecord(lane.tickets, lane.index++);
            server.deliver(benchEvent(ticketId, seqs.take(ticketId), at, t));
          }
        });
        return { sent, startUs, endUs: nowUs() };
      },
      stop: async () => {
        await server.stop();
        setTimeout(() => process.exit(0), 50);
        return {};
      },
    },
    { deadlineMs: Number(process.env.BENCH_CHILD_DEADLINE_MS ?? 600_000) },
  );
  helloParent({ port: server.port, pid: process.pid } satisfies ServerHello);
})().catch((err: unknown) => {
  process.stderr.write(`bench server (${kind}) failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
