/**
 * A prototype of the gateway's record consumer on @platformatic/kafka instead of kafkajs, behind the same
 * `RecordConsumer` interface, for the benchmark only (`BENCH_CONSUMER=platformatic`): does a client with a
 * cheaper fetch path lower the steady rate's cost per fetch? It does the part of the job the benchmark
 * exercises: every partition read from the end offsets at start, one Fetch request per leader for all its
 * partitions (the broker's answer at the first byte or after `KAFKA_FETCH_MAX_WAIT`, as kafkajs's), records
 * handed over synchronously, then one event-loop turn so uWS writes the frames. Not done (so not a
 * replacement yet): consumer groups and offset commits (the per-instance group's heartbeat and a commit a
 * second in kafkajs's path), gap detection, reconnects and the breaker (gateway/kafka/*).
 */
import { Consumer } from '@platformatic/kafka';
import type { IHeaders } from 'kafkajs';
import type { ConsumerOptions, ConsumerStats, RecordConsumer } from '../gateway/kafka/consumer';

/** A record batch of transaction markers, not records (Kafka's batch attribute bit 5). */
const CONTROL_BATCH = 0x20;

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

export function createPlatformaticConsumer(opts: ConsumerOptions): RecordConsumer {
  const client = new Consumer({
    clientId: opts.kafka.clientId,
    groupId: `${opts.groupId}.pk`,
    bootstrapBrokers: opts.kafka.brokers,
    retries: 2,
  });
  const counters: ConsumerStats = { fetches: 0, batches: 0, records: 0 };
  const positions = new Map<number, bigint>();
  const readyWaiters = new Set<() => void>();
  let ready = false;
  let stopping = false;
  let loops: Promise<void>[] = [];

  function setReady(): void {
    if (ready) return;
    ready = true;
    opts.onReadyChange?.(true);
    for (const w of readyWaiters) w();
  }

  function headersOf(pairs: [Buffer | null, Buffer | null][]): IHeaders | undefined {
    if (pairs.length === 0) return undefined;
    const out: IHeaders = {};
    for (const [k, v] of pairs) if (k) out[k.toString()] = v ?? undefined;
    return out;
  }

  function fetchFrom(node: number, topicId: string, partitions: number[]): Promise<FetchResponse> {
    return client.fetch({
      node,
      minBytes: opts.kafka.fetch.minBytes,
      maxWaitTime: opts.kafka.fetch.maxWaitMs,
      topics: [
        {
          topicId,
          partitions: partitions.map((partition) => ({
            partition,
            fetchOffset: positions.get(partition)!,
            partitionMaxBytes: opts.kafka.fetch.maxBytesPerPartition,
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
          })),
        },
      ],
    });
  }

  /**
   * BENCH_FETCH_AHEAD=1: the next fetch is asked for before this one's records are handed over (the positions
   * move first), so the consumer waits at the broker again while the fan-out runs and a record produced
   * meanwhile is answered at once instead of after the next request.
   */
  const fetchAhead = process.env.BENCH_FETCH_AHEAD === '1';

  async function fetchLoop(node: number, topicId: string, partitions: number[]): Promise<void> {
    const where = { topic: opts.topic, partition: 0, offset: '' };
    let pending: Promise<FetchResponse> | undefined;
    while (!stopping) {
      const response = await (pending ?? fetchFrom(node, topicId, partitions));
      pending = undefined;
      counters.fetches++;
      setReady();
      const from = new Map<number, bigint>();
      for (const topic of response.responses) {
        for (const p of topic.partitions) {
          if (p.errorCode !== 0) throw new Error(`fetch error ${p.errorCode} on partition ${p.partitionIndex}`);
          const last = p.records?.at(-1);
          if (!last) continue;
          from.set(p.partitionIndex, positions.get(p.partitionIndex)!);
          const next = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
          positions.set(p.partitionIndex, next);
          opts.onLag?.(opts.topic, p.partitionIndex, Math.max(0, Number(p.highWatermark - next)));
        }
      }
      if (fetchAhead && !stopping) {
        pending = fetchFrom(node, topicId, partitions);
        pending.catch(() => undefined);
      }
      for (const topic of response.responses) {
        for (const p of topic.partitions) {
          const start = from.get(p.partitionIndex);
          if (start === undefined) continue;
          where.partition = p.partitionIndex;
          for (const batch of p.records!) {
            if (batch.attributes & CONTROL_BATCH) continue;
            for (const r of batch.records) {
              const offset = batch.firstOffset + BigInt(r.offsetDelta);
              if (offset < start) continue;
              where.offset = offset.toString();
              opts.handle(r.key, r.value, where, headersOf(r.headers));
              counters.records++;
            }
          }
          counters.batches++;
        }
      }
      // As in kafka/consumer.ts: uWS writes the published frames in the event loop's check phase.
      if (from.size > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function run(): Promise<void> {
    const metadata = await client.metadata({ topics: [opts.topic] });
    const topic = metadata.topics.get(opts.topic);
    if (!topic) throw new Error(`no topic ${opts.topic}`);
    const ends = await client.listOffsets({ topics: [opts.topic], timestamp: -1n });
    const offsets = ends.get(opts.topic) ?? [];
    const byLeader = new Map<number, number[]>();
    topic.partitions.forEach((p, partition) => {
      positions.set(partition, offsets[partition] ?? 0n);
      byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), partition]);
    });
    loops = [...byLeader].map(([node, parts]) => fetchLoop(node, topic.id, parts));
    await Promise.all(loops);
  }

  let loop: Promise<void> | undefined;
  return {
    start() {
      loop ??= run().catch((err: unknown) => {
        if (!stopping) opts.onFailure?.(err);
        if (!stopping) opts.logger.error('platformatic consumer failed', { err: (err as Error).message });
      });
    },
    async stop() {
      stopping = true;
      // Forced: a long-poll fetch in flight would otherwise hold the close for up to KAFKA_FETCH_MAX_WAIT.
      await new Promise<void>((resolve) => client.close(true, () => resolve()));
      await loop;
    },
    get ready() {
      return ready;
    },
    stats: () => ({ ...counters }),
    waitReady(timeoutMs) {
      if (ready) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`platformatic consumer not ready after ${timeoutMs}ms`)),
          timeoutMs,
        );
        readyWaiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
