/**
 * The gateway's one Kafka consumer, behind a small interface (`RecordConsumer`) so the fan-out never sees
 * kafkajs: a KafkaJS-compatible client could replace this file alone.
 *
 * Every gateway instance must see every record (its sockets may be on any ticket), so each instance has its
 * own consumer group, `ticketflow-gateway-<instanceId>`, and starts at the latest offsets: the snapshot on
 * connect covers the past. A supervisor loop owns failures: kafkajs retries briefly inside, and when the
 * consumer crashes or cannot connect, the loop backs off exponentially and tries again forever; after
 * `breakerThreshold` consecutive failures the instance reports not ready until the consumer rejoins.
 */
import { logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import type { Config } from '../../core/config';
import { createKafka } from '../../core/kafka';
import type { Logger } from '../../core/logger';
import { Breaker } from './breaker';

export interface RecordLocation {
  topic: string;
  partition: number;
  offset: string;
}

/** Called for each record, synchronously; it must not throw (it decodes and never lets a record escape). */
export type RecordHandler = (key: Buffer | null, value: Buffer | null, where: RecordLocation) => void;

export interface RecordConsumer {
  start(): void;
  stop(): Promise<void>;
  readonly ready: boolean;
  /** Resolves when the consumer has joined its group and fetched once (or rejects after `timeoutMs`). */
  waitReady(timeoutMs: number): Promise<void>;
}

export interface ConsumerOptions {
  kafka: Config['kafka'];
  topic: string;
  groupId: string;
  handle: RecordHandler;
  logger: Logger;
  /** Move the group to the latest offsets before the first join (the snapshot covers the past). */
  resetToLatest?: boolean;
  /** How often positions are committed, off the delivery path (default 1 s). */
  commitIntervalMs?: number;
  onReadyChange?: (ready: boolean) => void;
  onFailure?: (err: unknown) => void;
  onLag?: (topic: string, partition: number, lag: number) => void;
}

export function gatewayGroupId(instanceId: string): string {
  return `ticketflow-gateway-${instanceId}`;
}

export function createRecordConsumer(opts: ConsumerOptions): RecordConsumer {
  const breaker = new Breaker({ initialMs: opts.kafka.backoffInitialMs, maxMs: opts.kafka.backoffMaxMs, threshold: opts.kafka.breakerThreshold });
  const log = opts.logger;
  let ready = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let current: Consumer | undefined;
  let wakeStop: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => (wakeStop = resolve));
  const readyWaiters = new Set<() => void>();

  function setReady(value: boolean): void {
    if (ready === value) return;
    ready = value;
    log.info(value ? 'kafka consumer ready' : 'kafka consumer not ready', { topic: opts.topic, groupId: opts.groupId, failures: breaker.consecutiveFailures });
    opts.onReadyChange?.(value);
    if (value) for (const w of readyWaiters) w();
  }

  // kafkajs retries a little on its own (fast detection); the long backoff is ours.
  const kafka = createKafka(opts.kafka, {
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
  });

  async function resetOffsets(): Promise<void> {
    const admin = kafka.admin();
    try {
      await admin.connect();
      // A group with no committed offsets starts at the latest by itself (fromBeginning: false); only a
      // returning group (a stable instance id) has a stale position to move.
      const committed = await admin.fetchOffsets({ groupId: opts.groupId, topics: [opts.topic] });
      const hasCommits = committed.some((t) => t.partitions.some((p) => Number(p.offset) >= 0));
      if (!hasCommits) return;
      await admin.resetOffsets({ groupId: opts.groupId, topic: opts.topic, earliest: false });
      log.info('consumer group moved to the latest offsets', { groupId: opts.groupId, topic: opts.topic });
    } catch (err) {
      // A group that still has members (a restart within the session timeout) cannot be reset; it resumes.
      log.warn('could not reset consumer group to latest; resuming from committed offsets', { groupId: opts.groupId, err: (err as Error).message });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  // Positions to commit, per partition: the offset after the last record handed to the fan-out.
  const positions = new Map<number, string>();
  // The same, never cleared: where a restarted consumer picks up, so an outage leaves no gap even when no
  // commit got through (a fresh group would otherwise start at the latest offsets and skip the outage).
  const delivered = new Map<number, string>();
  let committing = false;

  /**
   * Commits what was delivered since the last commit, never awaited by the fetch loop: a commit per batch
   * made every fetch wait a broker round trip (tens of ms of added latency, see docs/benchmarks.md). After a
   * restart within the process the group resumes at most one interval behind, and the per-socket seq
   * de-duplication drops what is read twice.
   */
  async function commitPositions(consumer: Consumer): Promise<void> {
    if (committing || positions.size === 0) return;
    committing = true;
    const offsets = [...positions].map(([partition, offset]) => ({ topic: opts.topic, partition, offset }));
    positions.clear();
    try {
      await consumer.commitOffsets(offsets);
    } catch (err) {
      // Keep the newer of (failed, since-recorded) positions for the next try.
      for (const o of offsets) if (!positions.has(o.partition)) positions.set(o.partition, o.offset);
      log.debug('offset commit failed; retrying next interval', { topic: opts.topic, err: (err as Error).message });
    } finally {
      committing = false;
    }
  }

  async function eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const where = { topic: batch.topic, partition: batch.partition, offset: '' };
    let handled: string | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      where.offset = message.offset;
      opts.handle(message.key, message.value, where);
      resolveOffset(message.offset);
      handled = message.offset;
    }
    if (handled !== undefined) {
      const next = (BigInt(handled) + 1n).toString();
      positions.set(batch.partition, next);
      delivered.set(batch.partition, next);
    }
    const last = batch.lastOffset();
    const lag = Number(batch.highWatermark) - Number(last) - 1;
    opts.onLag?.(batch.topic, batch.partition, Math.max(0, lag));
    await heartbeat();
  }

  async function runOnce(first: boolean): Promise<void> {
    if (first && opts.resetToLatest) await resetOffsets();
    const consumer = kafka.consumer({
      groupId: opts.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 500,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000, restartOnFailure: async () => false },
    });
    current = consumer;
    let commitTimer: NodeJS.Timeout | undefined;
    const crashed = new Promise<unknown>((resolve) => {
      consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error));
    });
    // Ready after the first fetch of a join, not at the join itself: by then the start offsets are resolved,
    // so a record produced after "ready" is never behind the consumer's starting point.
    consumer.on(consumer.events.FETCH, () => {
      if (ready && breaker.consecutiveFailures === 0) return;
      breaker.succeed();
      setReady(true);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: opts.topic, fromBeginning: false });
      await consumer.run({ eachBatch, eachBatchAutoResolve: false, autoCommit: false });
      if (!first) for (const [partition, offset] of delivered) consumer.seek({ topic: opts.topic, partition, offset });
      commitTimer = setInterval(() => void commitPositions(consumer), opts.commitIntervalMs ?? 1_000);
      const outcome = await Promise.race([crashed, stopped.then(() => 'stopped' as const)]);
      if (outcome !== 'stopped') throw outcome instanceof Error ? outcome : new Error(String(outcome));
    } finally {
      clearInterval(commitTimer);
      current = undefined;
      await commitPositions(consumer);
      await consumer.disconnect().catch(() => undefined);
    }
  }

  async function supervise(): Promise<void> {
    let first = true;
    while (!stopping) {
      try {
        await runOnce(first);
      } catch (err) {
        if (stopping) break;
        opts.onFailure?.(err);
        const waitMs = breaker.fail();
        if (breaker.open) setReady(false);
        log.warn('kafka consumer failed; retrying', { topic: opts.topic, failures: breaker.consecutiveFailures, breakerOpen: breaker.open, retryInMs: waitMs, err: (err as Error).message });
        await Promise.race([new Promise((r) => setTimeout(r, waitMs).unref()), stopped]);
      }
      first = false;
    }
  }

  return {
    start() {
      loop ??= supervise();
    },
    async stop() {
      stopping = true;
      wakeStop?.();
      setReady(false);
      await current?.disconnect().catch(() => undefined);
      await loop;
    },
    get ready() {
      return ready;
    },
    waitReady(timeoutMs) {
      if (ready) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          readyWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          readyWaiters.delete(done);
          reject(new Error(`kafka consumer for ${opts.topic} not ready after ${timeoutMs}ms`));
        }, timeoutMs);
        readyWaiters.add(done);
      });
    },
  };
}
