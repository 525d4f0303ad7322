/**
 * The gateway's one Kafka consumer, behind a small interface (`RecordConsumer`) so the fan-out never sees a
 * Kafka client.
 *
 * Every gateway instance must see every record (its sockets may be on any ticket), so it reads every
 * partition itself, with no group membership, and commits its positions to its own group
 * (`ticketflow-gateway-<instanceId>`) for operators (fetch-session.ts says why). Its position in every
 * partition is its own (positions.ts): the end offsets when it first starts (the snapshot on connect covers
 * the past), then what it delivered; every session, including the supervisor's restarts after an outage,
 * resumes there, so a partition that had delivered nothing before an outage does not skip to the latest
 * offset. A supervisor loop owns failures: the client retries briefly inside, and when a session fails or
 * cannot connect, the loop backs off exponentially and tries again forever, except that a broker seen
 * coming back is rejoined at once (reconnect.ts); after `breakerThreshold` consecutive failures the instance
 * reports not ready until a session fetches again.
 *
 * The client is @platformatic/kafka's fetch API since issue 15's twelfth round: kafkajs's fetch decoding and
 * its garbage were a tenth of the gateway's CPU per delivery (docs/benchmarks.md).
 */
import type { Config } from '../../core/config';
import type { Logger } from '../../core/logger';
import { Breaker } from './breaker';
import { describeKafkaFailure } from './error-chain';
import { brokerAnswers, openFetchSession, type FetchSession } from './fetch-session';
import { PartitionPositions } from './positions';
import { ReadyWaiters } from './ready-waiters';
import { ReconnectWait } from './reconnect';

import type { RecordHandler } from './record';

export type { RecordHandler, RecordHeaders, RecordLocation } from './record';

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
  /** How often the topic's partitions and leaders are read again, to follow a grown topic (default 30 s). */
  topologyCheckMs?: number;
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
  let wakeStop: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => (wakeStop = resolve));
  const readyWaiters = new ReadyWaiters();

  function setReady(value: boolean): void {
    if (ready === value) return;
    ready = value;
    log.info(value ? 'kafka consumer ready' : 'kafka consumer not ready', {
      topic: opts.topic,
      groupId: opts.groupId,
      failures: breaker.consecutiveFailures,
    });
    opts.onReadyChange?.(value);
    if (value) readyWaiters.wake();
  }

  const positions = new PartitionPositions();
  const counters: ConsumerStats = { fetches: 0, batches: 0, records: 0 };
  const reconnect = new ReconnectWait({
    probeMs: opts.kafka.probeIntervalMs,
    probe: () => brokerAnswers(opts.kafka, opts.topic),
  });
  let current: FetchSession | undefined;

  /** Ready after the first fetch of a session: its start offsets are resolved by then. */
  function onFetched(): void {
    if (ready && breaker.consecutiveFailures === 0) return;
    breaker.succeed();
    reconnect.noteSuccess();
    setReady(true);
  }

  async function runOnce(): Promise<void> {
    const session = openFetchSession({
      kafka: opts.kafka,
      topic: opts.topic,
      groupId: opts.groupId,
      positions,
      handle: opts.handle,
      counters,
      commitIntervalMs: opts.commitIntervalMs ?? 1_000,
      topologyCheckMs: opts.topologyCheckMs ?? 30_000,
      log,
      onFetched,
      onGap: opts.onGap,
      onLag: opts.onLag,
    });
    current = session;
    try {
      // 'topology changed' returns: the next session starts at once, not after a backoff.
      const outcome = await Promise.race([session.run(), stopped.then(() => 'stopped' as const)]);
      if (outcome === 'closed' && !stopping) throw new Error('the fetch session ended by itself');
    } finally {
      current = undefined;
      await session.close();
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
          err: describeKafkaFailure(err),
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
      wakeStop?.();
      setReady(false);
      await current?.close();
      await loop;
    },
    get ready() {
      return ready;
    },
    stats: () => ({ ...counters }),
    waitReady(timeoutMs) {
      return ready ? Promise.resolve() : readyWaiters.wait(timeoutMs, `kafka consumer for ${opts.topic}`);
    },
  };
}
