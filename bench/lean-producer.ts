/**
 * The bench's load generator on Kafka: one connection per partition leader, one Produce request per send
 * (every partition's records in it), encoded in place (produce-encode.ts). It is not the product (the
 * gateway's publishers are the workers, on their own machines in production), but it shares the 2 cores with
 * the servers under test, so what it costs is taken from them: kafkajs spent more CPU per record than the
 * gateway did. Every Kafka kind in a run faces the same producer; `BENCH_PRODUCER=kafkajs` in a variant's
 * settings (`BENCH_VARIANT_<name>`) gives that kind kafkajs's producer instead, for a side-by-side.
 *
 * A ticket's records keep their order: its key always maps to one partition, a lane has one send in flight
 * (pace.ts), and the broker handles one connection's requests in order.
 */
import net from 'node:net';
import type { Kafka, Producer } from 'kafkajs';
import { decodeProduceAnswer, encodeProduce, type PartitionRecords } from './produce-encode';

export interface BenchMessage {
  key: string;
  value: string;
}

export interface BenchProducer {
  send(messages: BenchMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** kafkajs's producer behind the same interface (the comparison, and what the bench used before). */
export function kafkajsProducer(producer: Producer, topic: string): BenchProducer {
  return {
    send: (messages) => producer.send({ topic, messages }).then(() => undefined),
    close: () => producer.disconnect(),
  };
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** One broker connection: requests written in order, answers matched by correlation id. */
export class BrokerLink {
  private readonly socket: net.Socket;
  private readonly waiting = new Map<number, Waiter>();
  private pending: Buffer = Buffer.alloc(0);
  private failed: Error | undefined;

  constructor(host: string, port: number) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new Error(`lean producer: connection to ${host}:${port} closed`)));
  }

  request(correlationId: number, bytes: Buffer): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(correlationId, { resolve, reject });
      this.socket.write(bytes);
    });
  }

  /** The connection has closed (ended by either side). */
  get dropped(): boolean {
    return this.socket.closed;
  }

  close(): Promise<void> {
    // Node emits 'close' once: a link the broker already dropped (a restart, its idle timeout) is closed now.
    if (this.dropped) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (this.pending.length < 4 + size) return;
      const answer = decodeProduceAnswer(this.pending.subarray(4, 4 + size));
      this.pending = this.pending.subarray(4 + size);
      const waiter = this.waiting.get(answer.correlationId);
      this.waiting.delete(answer.correlationId);
      if (answer.errors.length === 0) waiter?.resolve();
      else waiter?.reject(new Error(`lean producer: Kafka refused partitions ${JSON.stringify(answer.errors)}`));
    }
  }

  private fail(err: Error): void {
    this.failed ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

export async function createLeanProducer(kafka: Kafka, topic: string, clientId = 'bench-lean'): Promise<BenchProducer> {
  const admin = kafka.admin();
  await admin.connect();
  let leaders: number[];
  let brokers: { nodeId: number; host: string; port: number }[];
  try {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const parts = meta.topics[0]!.partitions;
    leaders = [];
    for (const p of parts) leaders[p.partitionId] = p.leader;
    brokers = (await admin.describeCluster()).brokers;
  } finally {
    await admin.disconnect();
  }
  const links = new Map<number, BrokerLink>();
  for (const nodeId of new Set(leaders)) {
    const b = brokers.find((x) => x.nodeId === nodeId);
    if (!b) throw new Error(`lean producer: no address for broker ${nodeId}, the leader of a ${topic} partition`);
    links.set(nodeId, new BrokerLink(b.host, b.port));
  }
  // A key keeps the partition it was first given, and new keys are dealt out in turn, so every partition
  // carries an equal share of the tickets (a hash of 100 bench ticket ids put 13 to 21 on each of 6), as the
  // raw path's lanes do; the consumer's fetches then bring equal batches.
  const partitionOfKey = new Map<string, number>();
  const partitionOf = (key: string): number => {
    let p = partitionOfKey.get(key);
    if (p === undefined) {
      p = partitionOfKey.size % leaders.length;
      partitionOfKey.set(key, p);
    }
    return p;
  };
  let correlationId = 0;

  return {
    send(messages) {
      const byPartition = new Map<number, PartitionRecords>();
      for (const m of messages) {
        const partition = partitionOf(m.key);
        let p = byPartition.get(partition);
        if (!p) byPartition.set(partition, (p = { partition, keys: [], values: [] }));
        p.keys.push(m.key);
        p.values.push(m.value);
      }
      const byLeader = new Map<number, PartitionRecords[]>();
      for (const p of byPartition.values()) {
        const leader = leaders[p.partition]!;
        const list = byLeader.get(leader);
        if (list) list.push(p);
        else byLeader.set(leader, [p]);
      }
      const sends: Promise<void>[] = [];
      for (const [leader, partitions] of byLeader) {
        const id = ++correlationId;
        const bytes = encodeProduce({ correlationId: id, clientId, topic, acks: -1, timeoutMs: 30_000, partitions });
        sends.push(links.get(leader)!.request(id, bytes));
      }
      return Promise.all(sends).then(() => undefined);
    },
    async close() {
      await Promise.all([...links.values()].map((l) => l.close()));
    },
  };
}
