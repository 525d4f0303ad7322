/**
 * The benchmark harness end to end at toy size: every path (uWS gateway over Kafka, `ws` gateway over
 * Kafka, raw uWS publish, the uWS gateway again as a variant with other fetch settings fed by kafkajs's
 * producer instead of the bench's lean one, and again on the prototype @platformatic/kafka consumer,
 * bench/platformatic-consumer.ts) opens its
 * authenticated sockets and delivers every record of every phase to every subscriber, the backlog phase (the
 * server stopped while the burst is produced) included. No timing is asserted: speed is measured only by
 * `npm run bench`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBench, serverKinds } from '../../bench/harness';
import { testConfig, testKafkaBrokers } from '../helpers/infra';

test(
  'bench harness delivers through all three paths and two variants (N=40, 4 per ticket)',
  { timeout: 180_000 },
  async () => {
    const cfg = testConfig({ KAFKA_BROKERS: testKafkaBrokers().join(',') });
    const lines: string[] = [];
    process.env.BENCH_VARIANT_held = 'KAFKA_FETCH_MIN_BYTES=512 KAFKA_FETCH_MAX_WAIT=20ms BENCH_PRODUCER=kafkajs';
    process.env.BENCH_VARIANT_pk = 'BENCH_CONSUMER=platformatic';
    const result = await runBench({
      kafka: { ...cfg.kafka, partitions: 3 },
      sizes: [40],
      kinds: [...serverKinds, 'uws+held', 'uws+pk'],
      perTicket: 4,
      clientProcesses: 2,
      // 700 a burst (and again as the backlog): 140 records a ticket before the second visit, past the gateway's
      // seq-jump check (100), so a second visit reusing the first one's tickets would deliver nothing.
      throughputRecords: () => 700,
      warmupRecords: 0,
      throughputRepeats: 1,
      burstBatch: 50,
      producerLanes: 2,
      rawBatch: 100,
      fixedRate: { sockets: 40, ratePerSec: 200, durationMs: 500, repeats: 2, warmupMs: 200 },
      stallMs: 5_000,
      backlog: true,
      log: (line) => lines.push(line),
    });
    const kinds = ['uws', 'ws', 'raw', 'uws+held', 'uws+pk'];
    assert.deepEqual(
      result.runs.map((r) => r.kind),
      kinds,
    );
    // The latency repeats favour no kind by their place in the run: each visit warms up first, and the second
    // repeats run in the reverse order of the first (bench/fixed-visits.ts; before, uws ran both first).
    assert.deepEqual(result.fixedRateSchedule, [
      ...kinds.flatMap((k) => [`${k} warm-up`, `${k} #1`]),
      ...[...kinds].reverse().flatMap((k) => [`${k} warm-up`, `${k} #2`]),
    ]);
    for (const run of result.runs) {
      const what = `${run.kind}: ${lines.join('\n')}`;
      assert.equal(run.connect.opened, 40, what);
      assert.deepEqual(run.connect.refused, {}, what);
      assert.equal(run.throughput.records, 700, what);
      assert.equal(run.throughput.expected, 2_800, what);
      assert.equal(run.throughput.delivered, 2_800, what);
      assert.equal(run.throughput.unstamped, 0, what);
      assert.ok(run.throughput.p50Ms !== undefined && run.throughput.p50Ms >= 0, what);
      if (run.kind === 'raw') assert.equal(run.backlog, undefined, what);
      else assert.equal(run.backlog?.delivered, 2_800, `the backlog phase delivers every record: ${what}`);
      assert.ok(run.fixedRate, what);
      assert.equal(run.fixedRate.records, 100, what);
      assert.equal(run.fixedRate.delivered, 400, what);
      assert.deepEqual(
        run.fixedRateSamples?.map((x) => x.visit),
        [1, 2],
        `the fixed-rate phase is repeated, once in each visit: ${what}`,
      );
      assert.equal(run.fixedRatePhases?.[1]?.delivered, 400, `the second visit delivers every record: ${what}`);
      assert.ok(run.memory.after.sockets >= 40, what);
    }
  },
);
