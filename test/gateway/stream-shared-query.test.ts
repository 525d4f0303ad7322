/**
 * Streams of one ticket opened while one snapshot query runs share its answer (gateway/stream/snapshot-flights.ts,
 * issue 9), and the later one still gets what reached the gateway before it connected. Real Kafka, a real gateway
 * on port 0, real WebSocket clients; the snapshot source is the test's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  agentToken,
  customerToken,
  ev,
  gatewayPerFile,
  metricValue,
  produce,
  StreamClient,
  streamUrl,
  uniqueName,
  waitFor,
  type RunningGateway,
} from './harness';
import { ResumingStream } from './resuming-stream';

let g: RunningGateway;
gatewayPerFile({ partitions: 3 }, (started) => (g = started));

void describe('streams sharing a snapshot query', () => {
  // gateway/stream/snapshot-flights.ts (issue 9): the answer of a query in flight serves every stream of its ticket
  // opened meanwhile, and the later stream still gets what reached the gateway before it connected.
  void test('two streams of one ticket opened during one query share it, and the later one loses nothing', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    g.snapshots.readAtCall = true;
    g.snapshots.delayMs = 3_000;
    try {
      const calls = g.snapshots.calls;
      const joined = await metricValue(g, 'ticketflow_gateway_stream_snapshots_total', { how: 'joined' });
      // Both resume as the pages do if uWS drops a socket after its late upgrade (resuming-stream.ts).
      const agent = new ResumingStream(g, t, agentToken(g));
      await waitFor(() => (g.snapshots.calls > calls ? true : undefined), { message: "the agent's snapshot query" });
      // The workflow moves on while its answer travels: 2 and 3 reach the gateway before the customer connects.
      const recordsIn = await metricValue(g, 'ticketflow_gateway_records_in_total');
      g.snapshots.set(t, [ev(t, 1), ev(t, 2), ev(t, 3)]);
      await produce(g.topic, [ev(t, 2), ev(t, 3)]);
      await waitFor(async () => (await metricValue(g, 'ticketflow_gateway_records_in_total')) >= recordsIn + 2, {
        message: 'records 2 and 3 at the gateway',
      });
      const customer = new ResumingStream(g, t, customerToken(g, t));
      await Promise.all([agent.opened, customer.opened]);
      assert.equal(g.snapshots.calls - calls, 1, 'snapshot queries for two streams opened during one');
      const joinedNow = await metricValue(g, 'ticketflow_gateway_stream_snapshots_total', { how: 'joined' });
      assert.equal(joinedNow - joined, 1, 'streams counted as joining a query');
      g.snapshots.set(
        t,
        [1, 2, 3, 4].map((s) => ev(t, s)),
      );
      await produce(g.topic, [ev(t, 4)]);
      await Promise.all([agent.waitForSeqCount(4), customer.waitForSeqCount(4)]);
      assert.deepEqual(agent.seqs(), [1, 2, 3, 4]);
      assert.deepEqual(customer.seqs(), [1, 2, 3, 4], 'the customer, who joined the query in flight');

      // Once answered, the next stream asks again: an answer is never kept for later.
      g.snapshots.delayMs = 0;
      const callsBeforeLate = g.snapshots.calls;
      const late = new StreamClient(streamUrl(g, t), { token: agentToken(g, 'agent-2') });
      await late.opened;
      assert.equal(g.snapshots.calls - callsBeforeLate, 1, 'a query for the stream opened after the answer');
      for (const c of [agent, customer, late]) c.close();
    } finally {
      g.snapshots.delayMs = 0;
      g.snapshots.readAtCall = false;
    }
  });
});
