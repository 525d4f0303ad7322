/**
 * The agents' queue stream across two gateway instances on one Kafka topic and one desk store (SQLite, as
 * two processes on one machine share it): a status event reaches the consoles on both, other events do not;
 * a claim and a presence beat made through gateway B reach a console on gateway A; only agents connect; a
 * draining gateway closes its consoles with 1001.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { QueueFrame } from '../../core/desk';
import { TicketflowError } from '../../core/errors';
import { consoleRoutes } from '../../gateway/api/register';
import type { TicketApiPort } from '../../gateway/api/context';
import { createSqliteDeskStore, type DeskStore } from '../../gateway/desk/store';
import { createTopic, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { closeProducer, ev, produce, startGateway, StreamClient, type RunningGateway } from './harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-stream-'));
const stores: DeskStore[] = [];
const gateways: RunningGateway[] = [];

after(async () => {
  for (const g of gateways) await g.stop();
  for (const s of stores) await s.close();
  await closeProducer();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function instance(topic: string): Promise<RunningGateway> {
  const desk = createSqliteDeskStore(dir);
  stores.push(desk);
  // The ticket routes are not called here: the stream and the desk routes are under test. A claim tells the
  // ticket its holder; these tickets have no workflow, as for a ticket that finished.
  const tickets = {
    setHolder: () => Promise.reject(new TicketflowError('not_found', 'no such ticket')),
  } as unknown as TicketApiPort;
  const g = await startGateway({ topic, deps: { registerRoutes: consoleRoutes({ tickets, desk, ui: false }) } });
  gateways.push(g);
  return g;
}

function frames(c: StreamClient): QueueFrame[] {
  return c.frames as unknown as QueueFrame[];
}

const token = (g: RunningGateway, sub: string, role: 'agent' | 'customer' = 'agent') =>
  g.gw.auth.signAccessToken({ sub, role }, 600_000);

test('status events and desk changes from either instance reach every agent console; customers are refused', async () => {
  const topic = uniqueName('queue-events');
  await createTopic(topic, 2);
  const [a, b] = [await instance(topic), await instance(topic)];

  const ann = new StreamClient(`${a.wsUrl}/v1/queue/stream`, { token: token(a, 'ann') });
  const bea = new StreamClient(`${b.wsUrl}/v1/queue/stream`, { token: token(b, 'bea') });
  await Promise.all([ann.opened, bea.opened]);
  const customer = new StreamClient(`${a.wsUrl}/v1/queue/stream`, { token: token(a, 'cust', 'customer') });
  const nobody = new StreamClient(`${a.wsUrl}/v1/queue/stream`);
  await waitFor(() => customer.closed && nobody.closed, { message: 'both refused' });
  assert.deepEqual([customer.status, nobody.status], [403, 401]);

  const ticketId = uniqueName('t-queue');
  const status = { status: 'awaiting_review', queue: 'review', urgency: 'high', topic: 'Billing', awaiting: 'review' };
  await produce(topic, [ev(ticketId, 1, 'message'), ev(ticketId, 2, 'status', status)]);
  const expected: QueueFrame = { kind: 'ticket', ticketId, ...status };
  for (const c of [ann, bea]) {
    await waitFor(() => frames(c).length > 0, { message: 'the status frame' });
    assert.deepEqual(frames(c), [expected], 'one frame, for the status event only');
  }

  // Bob claims and looks at the ticket through gateway B; Ann's console on A hears of both.
  const bob = { authorization: `Bearer ${token(b, 'bob')}`, 'content-type': 'application/json' };
  const claimed = await fetch(`${b.url}/v1/tickets/${ticketId}/assign`, {
    method: 'POST',
    headers: bob,
    body: JSON.stringify({ to: 'bob' }),
  });
  assert.equal(claimed.status, 200);
  await fetch(`${b.url}/v1/tickets/${ticketId}/presence`, { method: 'POST', headers: bob, body: '{}' });
  await waitFor(() => frames(ann).some((f) => f.kind === 'desk') && frames(ann).some((f) => f.kind === 'viewer'), {
    message: "Bob's claim and presence at Ann's console",
  });
  const desk = frames(ann).find((f) => f.kind === 'desk');
  assert.equal(desk?.kind === 'desk' ? desk.assignment?.agent : undefined, 'bob');
  const viewer = frames(ann).find((f) => f.kind === 'viewer');
  assert.ok(viewer?.kind === 'viewer' && viewer.agent === 'bob' && viewer.ticketId === ticketId);
  assert.ok(viewer.forMs > 0 && viewer.forMs <= 20_000, `forMs ${viewer.forMs}`);

  await a.stop();
  await waitFor(() => ann.closed, { message: "Ann's console closed by the draining gateway" });
  assert.equal(ann.closed?.code, 1001);
  bea.ws.close();
});
