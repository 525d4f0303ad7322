/**
 * A new ticket's streams take the POST's first read as their snapshot (gateway/stream/snapshot-flights.ts,
 * issue 9): the customer's page and the agent open their streams as the POST answers, and neither costs a
 * workflow query of its own. Real stack: Temporal workflow, worker, Kafka, gateway.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, type Stack } from '../e2e/stack';
import { StreamClient } from '../gateway/harness';
import { call } from './http';

let stack: Stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

async function streamSnapshots(how: 'asked' | 'joined'): Promise<number> {
  const metric = await stack.gateway.metrics.registry
    .getSingleMetric('ticketflow_gateway_stream_snapshots_total')
    ?.get();
  return (metric?.values ?? []).filter((v) => v.labels.how === how).reduce((n, v) => n + v.value, 0);
}

test('the streams opened after the POST get its first read as their snapshot, no query of their own', async () => {
  const [asked, joined] = [await streamSnapshots('asked'), await streamSnapshots('joined')];
  const created = await call(stack.url, 'POST', '/v1/tickets', {
    token: stack.token('customer', 'mona'),
    body: { text: 'My invoice shows the wrong address, please fix it.' },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { ticketId, ticketToken } = created.body as { ticketId: string; ticketToken: string };
  const url = `${stack.url.replace(/^http/, 'ws')}/v1/tickets/${ticketId}/stream`;
  const streams = [
    new StreamClient(url, { token: ticketToken }),
    new StreamClient(url, { token: stack.token('agent', 'agent-ann') }),
  ];
  await Promise.all(streams.map((s) => s.opened));
  for (const s of streams) {
    await s.waitForSeqCount(1);
    assert.equal(s.events()[0]?.seq, 1, 'the snapshot starts at the first event');
  }
  assert.equal((await streamSnapshots('asked')) - asked, 0, 'streams that queried the workflow themselves');
  assert.equal((await streamSnapshots('joined')) - joined, 2, "streams that took the POST's read");
  for (const s of streams) s.close();
});
