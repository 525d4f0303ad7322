/**
 * One session of the gateway's consumer, from placing every partition's position to its first failure or
 * stop: the supervisor (consumer.ts) opens a fresh one after each failure, with fresh connections.
 *
 * On @platformatic/kafka's fetch API, with no consumer group membership. Every gateway instance reads every
 * partition (its sockets may be on any ticket), so a group has nothing to assign; and a group's join was what
 * made the rejoin after an outage wait for the member that could not leave (the kafkajs consumer needed a
 * fresh group per join for it). Positions live in the process (positions.ts). They are committed to the
 * instance's group standalone (as `kafka-consumer-groups --reset-offsets` does), for operators' lag tools;
 * the first commit of a session is awaited, so a principal refused its group fails loudly, not silently.
 *
 * One fetch loop per partition leader, each with one Fetch request in flight: the broker answers once it
 * holds new records (KAFKA_FETCH_MIN_BYTES) or after KAFKA_FETCH_MAX_WAIT, the records are handed to the
 * fan-out synchronously, then the event loop turns once so uWS writes the frames before the next request.
 */
import { Admin, Consumer } from '@platformatic/kafka';
import type { Config } from '../../core/config';
import { fetchClientOptions } from '../../core/kafka-fetch-client';
import type { Logger } from '../../core/logger';
import { withTimeout } from '../../core/with-timeout';
import { isAuthorizationFailure } from './error-chain';
import type { PartitionPositions, PartitionRange } from './positions';
import type { ConsumerStats } from './consumer';
import { createHandOver } from './hand-over';
import type { RecordHandler } from './record';

const EARLIEST = -2n;
const LATEST = -1n;

export interface FetchSessionOptions {
  kafka: Config['kafka'];
  topic: string;
  /** The group the positions are committed to (never joined). */
  groupId: string;
  positions: PartitionPositions;
  handle: RecordHandler;
  /** The consumer's counters, advanced here. */
  counters: ConsumerStats;
  commitIntervalMs: number;
  /** How often the topic's partitions and their leaders are read again: a change ends the session. */
  topologyCheckMs: number;
  log: Logger;
  /** After every answered fetch (the first one makes the consumer ready). */
  onFetched: () => void;
  onGap?: (partitions: number[]) => void;
  onLag?: (topic: string, partition: number, lag: number) => void;
}

export interface FetchSession {
  /**
   * Runs until `close` ('closed'), or until the topic's partitions or their leaders change ('topology
   * changed': the next session reads the new layout; a grown topic's new partitions start at their
   * beginning, positions.ts); rejects with the first failure.
   */
  run(): Promise<'closed' | 'topology changed'>;
  /** Ends the session at once (a long-poll fetch in flight is cancelled). */
  close(): Promise<void>;
}

// kafkajs's timing (connectionTimeout 3 s, retries 2 from 200 ms): short, since the supervisor's backoff is
// the long wait; a request timeout well above the longest fetch wait, so only a hung broker trips it.
const TIMING = { connectTimeoutMs: 3_000, requestTimeoutMs: 15_000, retries: 2, retryDelayMs: 200 };

export function openFetchSession(o: FetchSessionOptions): FetchSession {
  const clientOptions = fetchClientOptions(o.kafka, TIMING);
  // A Consumer for its fetch, metadata and offset calls; it never joins `groupId` (the Admin commits).
  const consumer = new Consumer({ ...clientOptions, groupId: o.groupId });
  const admin = new Admin(clientOptions);
  const handOver = createHandOver(o.topic, o.handle);
  let closed = false;
  let committing = false;
  let commitTimer: NodeJS.Timeout | undefined;
  let topologyTimer: NodeJS.Timeout | undefined;

  async function topicMetadata() {
    const metadata = await consumer.metadata({ topics: [o.topic], forceUpdate: true });
    const topic = metadata.topics.get(o.topic);
    if (!topic) throw new Error(`topic ${o.topic} not found`);
    return topic;
  }

  /** Partition -> leader, as one comparable string. */
  const layoutOf = (topic: Awaited<ReturnType<typeof topicMetadata>>) =>
    topic.partitions.map((p, partition) => `${partition}@${p.leader}`).join(',');

  /** Resolves once the topic's layout differs from `layout`; a failed read is left to the fetch loops. */
  function topologyChange(layout: string): Promise<'topology changed'> {
    return new Promise((resolve) => {
      topologyTimer = setInterval(() => {
        topicMetadata().then(
          (topic) => {
            if (closed || layoutOf(topic) === layout) return;
            o.log.info("the topic's partitions or leaders changed; reading the new layout", { topic: o.topic });
            resolve('topology changed');
          },
          () => undefined,
        );
      }, o.topologyCheckMs);
    });
  }

  /** The log's range of every partition, the positions placed against it, and who leads each partition. */
  async function place(): Promise<{ topicId: string; layout: string; byLeader: Map<number, number[]> }> {
    const topic = await topicMetadata();
    const offsetsAt = async (timestamp: bigint) =>
      (await consumer.listOffsets({ topics: [o.topic], timestamp })).get(o.topic) ?? [];
    const [lows, highs] = await Promise.all([offsetsAt(EARLIEST), offsetsAt(LATEST)]);
    const ranges: PartitionRange[] = [];
    const byLeader = new Map<number, number[]>();
    topic.partitions.forEach((p, partition) => {
      ranges.push({ partition, low: String(lows[partition] ?? 0n), high: String(highs[partition] ?? 0n) });
      byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), partition]);
    });
    const gaps = o.positions.place(ranges);
    if (gaps.length > 0) {
      o.log.warn('records lost to the consumer before it could read them; resyncing subscribers', {
        topic: o.topic,
        partitions: gaps,
      });
      o.onGap?.(gaps);
    }
    return { topicId: topic.id, layout: layoutOf(topic), byLeader };
  }

  async function commit(offsets: { partition: number; offset: string }[]): Promise<void> {
    if (offsets.length === 0) return;
    await admin.alterConsumerGroupOffsets({
      groupId: o.groupId,
      topics: [
        { name: o.topic, partitionOffsets: offsets.map((p) => ({ partition: p.partition, offset: BigInt(p.offset) })) },
      ],
    });
  }

  /** What was delivered since the last commit, never awaited by the fetch loops; a failed one is retried. */
  async function commitDelivered(): Promise<void> {
    if (committing || closed) return;
    const offsets = o.positions.takeDirty();
    committing = true;
    try {
      await commit(offsets);
    } catch (err) {
      o.positions.restore(offsets.map((p) => p.partition));
      o.log.debug('offset commit failed; retrying next interval', { topic: o.topic, err: (err as Error).message });
    } finally {
      committing = false;
    }
  }

  async function fetchLoop(node: number, topicId: string, partitions: number[]): Promise<void> {
    const { minBytes, maxWaitMs, maxBytesPerPartition } = o.kafka.fetch;
    while (!closed) {
      const response = await consumer.fetch({
        node,
        minBytes,
        maxWaitTime: maxWaitMs,
        topics: [
          {
            topicId,
            partitions: partitions.map((partition) => ({
              partition,
              fetchOffset: BigInt(o.positions.offsetOf(partition)!),
              partitionMaxBytes: maxBytesPerPartition,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            })),
          },
        ],
      });
      if (closed) return;
      o.counters.fetches++;
      o.onFetched();
      const lags: [partition: number, lag: number][] = [];
      for (const topic of response.responses) {
        for (const p of topic.partitions) {
          if (!p.records || p.records.length === 0) continue;
          const handed = handOver(p.partitionIndex, p.records, BigInt(o.positions.offsetOf(p.partitionIndex)!));
          if (!handed) continue;
          const { last, count } = handed;
          o.positions.delivered(p.partitionIndex, last.toString());
          o.counters.batches++;
          o.counters.records += count;
          lags.push([p.partitionIndex, Math.max(0, Number(p.highWatermark - last - 1n))]);
        }
      }
      // uWS writes the published frames when the event loop reaches its check phase; without this turn they
      // waited for the next fetch's work (docs/benchmarks.md, issue 15's third round).
      if (lags.length === 0) continue;
      await new Promise((resolve) => setImmediate(resolve));
      for (const [partition, lag] of lags) o.onLag?.(o.topic, partition, lag);
    }
  }

  return {
    async run() {
      const { topicId, layout, byLeader } = await place();
      o.positions.takeDirty();
      const all = [...byLeader.values()].flat().map((partition) => ({
        partition,
        offset: o.positions.offsetOf(partition)!,
      }));
      try {
        await commit(all);
      } catch (err) {
        if (isAuthorizationFailure(err)) throw err;
        o.positions.restore(all.map((p) => p.partition));
        o.log.debug('first offset commit failed; retrying next interval', {
          topic: o.topic,
          err: (err as Error).message,
        });
      }
      commitTimer = setInterval(() => void commitDelivered(), o.commitIntervalMs);
      try {
        const loops = Promise.all([...byLeader].map(([node, partitions]) => fetchLoop(node, topicId, partitions)));
        return await Promise.race([loops.then(() => 'closed' as const), topologyChange(layout)]);
      } finally {
        clearInterval(commitTimer);
        clearInterval(topologyTimer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(commitTimer);
      clearInterval(topologyTimer);
      // Forced: a long-poll fetch in flight would otherwise hold the close for up to KAFKA_FETCH_MAX_WAIT.
      await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
      // What was delivered since the last interval, for operators: best-effort and bounded (the broker may be
      // gone); a commit that fails leaves the positions dirty for the next session's first commit.
      const offsets = o.positions.takeDirty();
      await withTimeout(commit(offsets), TIMING.connectTimeoutMs, 'closing commit').catch(() =>
        o.positions.restore(offsets.map((p) => p.partition)),
      );
      await admin.close().catch(() => undefined);
    },
  };
}

/** Whether the broker answers what a session needs first (the topic's metadata and offsets); never throws. */
export async function brokerAnswers(kafka: Config['kafka'], topic: string): Promise<boolean> {
  const client = new Admin({ ...fetchClientOptions(kafka, TIMING), retries: 0 });
  try {
    await client.listOffsets({ topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: LATEST }] }] });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}
