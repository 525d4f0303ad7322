/**
 * The embedded broker's long-lived data stays under G1's marking threshold. With Kafka's default 128 MiB dedupe
 * buffer in a heap that started at 128 MiB, 157-177 MiB stayed live in a 260-300 MiB heap, so G1 began a
 * marking cycle (and its remark pause, 5-52 ms) after every other young collection for the broker's life
 * (docs/benchmarks.md, issue 15, ninth round). A private broker started as the infra starts one (its flags and
 * server.properties; a GC log is the only flag added) is fed records until it has collected its young
 * generation once since it answered; what the collection left in the old and humongous regions must be under
 * 45 % of the heap (G1's initiating occupancy: above it, the next young collection starts a marking cycle).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { logLevel } from 'kafkajs';
import { loadConfig } from '../../core/config';
import { createKafka } from '../../core/kafka';
import { freePorts } from '../../scripts/chaos/ports';
import { ensureKafka, KAFKA_JVM_FLAGS, stopKafka } from '../../scripts/infra/kafka';
import { infraPaths } from '../../scripts/infra/paths';

interface YoungGc {
  id: number;
  /** Old and humongous regions after the collection, and the heap's capacity, in MiB. */
  keptMiB: number;
  heapMiB: number;
}

/** Young collections in a `-Xlog:gc*` file: region counts after each, in MiB (the log gives the region size). */
export function youngCollections(log: string): YoungGc[] {
  const regionMiB = Number(/Heap Region Size: (\d+)M/.exec(log)?.[1] ?? NaN);
  const out: YoungGc[] = [];
  for (const m of log.matchAll(/GC\((\d+)\) Pause Young \([^)]*\) \([^)]*\) \d+M->\d+M\((\d+)M\)/g)) {
    const id = m[1]!;
    const regions = (kind: string) =>
      Number(new RegExp(`GC\\(${id}\\) ${kind} regions: \\d+->(\\d+)`).exec(log)?.[1] ?? NaN);
    out.push({ id: Number(id), keptMiB: (regions('Old') + regions('Humongous')) * regionMiB, heapMiB: Number(m[2]) });
  }
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-kafka-heap-'));
const gcLog = path.join(dir, 'gc.log');

test('the embedded broker keeps its long-lived data under the G1 marking threshold', { timeout: 90_000 }, async () => {
  // Two distinct ports: two calls of a bind-and-release helper may both answer the same one.
  const [port, controllerPort] = (await freePorts(2)) as [number, number];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    TICKETFLOW_DATA_DIR: dir,
  };
  delete env.KAFKA_BROKERS; // else the launcher takes the shared broker for an external one and starts nothing
  const cfg = loadConfig(env);
  const paths = infraPaths(cfg);
  after(async () => {
    await stopKafka(cfg, paths).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await ensureKafka(cfg, paths, { jvm: [...KAFKA_JVM_FLAGS, `-Xlog:gc*:file=${gcLog}`] });
  const answeredAt = youngCollections(fs.readFileSync(gcLog, 'utf8')).at(-1)?.id ?? -1;

  const kafka = createKafka(cfg.kafka, { logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(16_384, 'x');
  let since: YoungGc[] = [];
  try {
    // A young generation of a fresh 256 MiB heap is some 13 MiB: a few sends of 1.6 MiB fill it.
    for (let i = 0; i < 200 && since.length === 0; i++) {
      await producer.send({
        topic: cfg.kafka.ticketEventsTopic,
        messages: Array.from({ length: 100 }, () => ({ value })),
      });
      since = youngCollections(fs.readFileSync(gcLog, 'utf8')).filter((g) => g.id > answeredAt);
    }
  } finally {
    await producer.disconnect();
  }
  assert.ok(since.length > 0, 'no young collection while records were produced');
  const last = since.at(-1)!;
  assert.ok(
    last.keptMiB < 0.45 * last.heapMiB,
    `after GC(${last.id}) ${last.keptMiB} MiB stayed in old and humongous regions of a ${last.heapMiB} MiB heap`,
  );
});
