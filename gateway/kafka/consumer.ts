/**
 * The gateway's one Kafka consumer, behind a small interface (`RecordConsumer`) so the fan-out never sees
 * kafkajs: a KafkaJS-compatible client could replace this file alone.
 *
 * Every gateway instance must see every record (its sockets may be on any ticket), so each instance has its
 * own consumer groups, `ticketflow-gateway-<instanceId>.<nonce>-<n>`, a fresh one per join (join-groups.ts
 * says why: a reused group made each rejoin after an outage wait ~10 s for its previous member). Its
 * position in every partition is its own (positions.ts): the end offsets when it first joins (the snapshot
 * on connect covers the past), then what it delivered; every join, including kafkajs's own rejoins and the
 * supervisor's restarts after an outage, seeks every assigned partition there, so a partition that had
 * delivered nothing before an outage does not skip to the latest offset. A supervisor loop owns failures:
 * kafkajs retries briefly inside, and when the consumer crashes or cannot connect, the loop backs off
 * exponentially and tries again forever, except that a broker seen coming back is rejoined at once
 * (reconnect.ts); after `breakerThreshold` consecutive failures the instance reports not ready until the
 * consumer rejoins.
 */
import { logLevel, type Consumer, type EachBatchPayload } from 'kafkajs';
import type { Config } from '../../core/config';
import { createKafka } from '../../core/kafka';
import type { Logger } from '../../core/logger';
import { Breaker } from './breaker';
import { JoinGroups } from './join-groups';
import { PartitionPositions } from './positions';
import { ReconnectWait } from './reconnect';

import type { RecordHandler } from './record';

export type { RecordHandler, RecordLocation } from './record';

export interface RecordConsumer {
  start(): void;
  stop(): Promise<void>;
  readonly ready: boolean;
  /** Resolves when the consumer has joined its group and fetched once (or rejects after `timeoutMs`). */
  waitReady(timeoutMs: number): Promise<void>;
  /** Counters since start: fetch requests answered, non-empty partition batches, records handed over. */
  stats(): ConsumerStats;
}

export interface ConsumerStats {
  fetches: number;
  batches: number;
  records: number;
}

export interface ConsumerOptions {
  kafka: Config['kafka'];
  topic: string;
  groupId: string;
  handle: RecordHandler;
  logger: Logger;
  /** How often positions are committed, off the delivery path (default 1 s). */
  commitIntervalMs?: number;
  onReadyChange?: (ready: boolean) => void;
  onFailure?: (err: unknown) => void;
  onLag?: (topic: string, partition: number, lag: number) => void;
  /**
   * Partitions whose records between the last delivery and the log's start are gone (retention, a broker
   * that lost its data): their subscribers need a fresh snapshot. Called before the consumer rejoins.
   */
  onGap?: (partitions: number[]) => void;
}

export function gatewayGroupId(instanceId: string): string {
  return `ticketflow-gateway-${instanceId}`;
}

export function createRecordConsumer(opts: ConsumerOptions): RecordConsumer {
  const breaker = new Breaker({
    initialMs: opts.kafka.backoffInitialMs,
    maxMs: opts.kafka.backoffMaxMs,
    threshold: opts.kafka.breakerThreshold,
  });
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
    log.info(value ? 'kafka consumer ready' : 'kafka consumer not ready', {
      topic: opts.topic,
      groupId: groups.current,
      failures: breaker.consecutiveFailures,
    });
    opts.onReadyChange?.(value);
    if (value) for (const w of readyWaiters) w();
  }

  // kafkajs retries a little on its own (fast detection); the long backoff is ours.
  const kafka = createKafka(opts.kafka, {
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
  });

  const sessionTimeout = 10_000;
  const groups = new JoinGroups({
    base: opts.groupId,
    retireAfterMs: sessionTimeout + 5_000,
    admin: () => kafka.admin(),
  });
  const positions = new PartitionPositions();
  const counters: ConsumerStats = { fetches: 0, batches: 0, records: 0 };
  let committing = false;
  const reconnect = new ReconnectWait({ probeMs: opts.kafka.probeIntervalMs, probe: brokerAnswers });

  /** Reads every partition's log range and places the consumer's positions against it (before each join). */
  async function placePositions(): Promise<void> {
    const admin = kafka.admin();
    let gaps: number[];
    try {
      await admin.connect();
      gaps = positions.place(await admin.fetchTopicOffsets(opts.topic));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (gaps.length > 0) {
      log.warn('records lost to the consumer before it could read them; resyncing subscribers', {
        topic: opts.topic,
        partitions: gaps,
      });
      opts.onGap?.(gaps);
    }
  }

  /**
   * Commits what was delivered since the last commit, never awaited by the fetch loop: a commit per batch
   * made every fetch wait a broker round trip (tens of ms of added latency, see docs/benchmarks.md). The
   * commits are for operators (lag per group); a rejoin resumes from the in-process positions, not from them.
   */
  async function commitPositions(consumer: Consumer): Promise<void> {
    if (committing) return;
    const offsets = positions.takeDirty().map((o) => ({ topic: opts.topic, ...o }));
    if (offsets.length === 0) return;
    committing = true;
    try {
      await consumer.commitOffsets(offsets);
    } catch (err) {
      positions.restore(offsets.map((o) => o.partition));
      log.debug('offset commit failed; retrying next interval', { topic: opts.topic, err: (err as Error).message });
    } finally {
      committing = false;
    }
  }

  // No heartbeat call: kafkajs sends one when due after every batch; a second only cost promises per batch.
  async function eachBatch({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const where = { topic: batch.topic, partition: batch.partition, offset: '' };
    let handled: string | undefined;
    // The loop never awaits (handle is synchronous), so neither a stop nor a seek can land inside it: the
    // batch is checked once, and the last offset resolved once (kafkajs parses each offset it is given).
    if (isRunning() && !isStale()) {
      for (const message of batch.messages) {
        where.offset = message.offset;
        opts.handle(message.key, message.value, where, message.headers);
      }
      handled = batch.messages.at(-1)?.offset;
    }
    if (handled !== undefined) {
      resolveOffset(handled);
      positions.delivered(batch.partition, handled);
      counters.batches++;
      counters.records += batch.messages.length;
      // The fan-out's frames are written when the event loop reaches its check phase (uWS drains its topics
      // there); without this turn they waited for kafkajs's own work after the batch (p50 0.2 ms, p90 5 ms).
      await new Promise((resolve) => setImmediate(resolve));
    }
    const last = batch.lastOffset();
    const lag = Number(batch.highWatermark) - Number(last) - 1;
    opts.onLag?.(batch.topic, batch.partition, Math.max(0, lag));
  }

  async function runOnce(): Promise<void> {
    await placePositions();
    const consumer = kafka.consumer({
      groupId: groups.next(),
      allowAutoTopicCreation: false,
      minBytes: opts.kafka.fetch.minBytes,
      maxWaitTimeInMs: opts.kafka.fetch.maxWaitMs,
      maxBytesPerPartition: opts.kafka.fetch.maxBytesPerPartition,
      sessionTimeout,
      heartbeatInterval: 1_000,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000, restartOnFailure: async () => false },
    });
    current = consumer;
    let commitTimer: NodeJS.Timeout | undefined;
    const crashed = new Promise<unknown>((resolve) => {
      consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error));
    });
    // Every join (the first, kafkajs's rejoins, a restart after a crash) resumes every partition at the
    // gateway's own position; without a seek, a partition with no commit would start at the latest offset.
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      for (const partition of e.payload.memberAssignment[opts.topic] ?? []) {
        const offset = positions.offsetOf(partition);
        if (offset !== undefined) consumer.seek({ topic: opts.topic, partition, offset });
      }
    });
    // Ready after the first fetch of a join, not at the join itself: by then the start offsets are resolved,
    // so a record produced after "ready" is never behind the consumer's starting point.
    consumer.on(consumer.events.FETCH, () => {
      counters.fetches++;
      if (ready && breaker.consecutiveFailures === 0) return;
      breaker.succeed();
      reconnect.noteSuccess();
      groups.joined();
      setReady(true);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: opts.topic, fromBeginning: false });
      await consumer.run({ eachBatch, eachBatchAutoResolve: false, autoCommit: false });
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

  /** What a join needs first: the topic's offsets and the group's coordinator answer again. */
  async function brokerAnswers(): Promise<boolean> {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.fetchTopicOffsets(opts.topic);
      await admin.describeGroups([opts.groupId]);
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async function supervise(): Promise<void> {
    while (!stopping) {
      try {
        await runOnce();
      } catch (err) {
        if (stopping) break;
        opts.onFailure?.(err);
        reconnect.noteFailure(err);
        const waitMs = breaker.fail();
        if (breaker.open) setReady(false);
        log.warn('kafka consumer failed; retrying', {
          topic: opts.topic,
          failures: breaker.consecutiveFailures,
          breakerOpen: breaker.open,
          retryInMs: waitMs,
          err: (err as Error).message,
        });
        if ((await reconnect.wait(waitMs, stopped)) === 'broker back')
          log.info('kafka broker answers again; rejoining before the backoff ends', { topic: opts.topic });
      }
    }
  }

  return {
    start() {
      loop ??= supervise();
    },
    async stop() {
      stopping = true;
      groups.stop();
      wakeStop?.();
      setReady(false);
      await current?.disconnect().catch(() => undefined);
      await loop;
    },
    get ready() {
      return ready;
    },
    stats: () => ({ ...counters }),
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
