/**
 * The agents' queue stream counts in the per-principal open-stream cap (MAX_STREAMS_PER_PRINCIPAL) with the
 * ticket streams, on a real gateway and the shared Kafka broker: past the cap a queue socket (or a ticket
 * stream) is refused with 429 and Retry-After before the upgrade; another agent is not affected; a closed
 * socket frees its slot.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { consoleRoutes } from '../../gateway/api/register';
import { closeProducer, ev, noTickets, startGateway, streamUrl, StreamClient, type RunningGateway } from './harness';

let g: RunningGateway;

before(async () => {
  g = await startGateway({
    env: { MAX_STREAMS_PER_PRINCIPAL: '2' },
    deps: { registerRoutes: consoleRoutes({ tickets: noTickets, ui: false }) },
  });
});

after(async () => {
  await g?.stop();
  await closeProducer();
});

const token = (sub: string) => g.gw.auth.signAccessToken({ sub, role: 'agent' }, 600_000);
const queue = (sub: string) => new StreamClient(`${g.wsUrl}/v1/queue/stream`, { token: token(sub) });

/** The answer to a refused upgrade: its status and Retry-After. */
function refusal(sub: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${g.wsUrl}/v1/queue/stream`, { headers: { authorization: `Bearer ${token(sub)}` } });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error(`${sub}: the queue stream opened past the cap`));
    });
    ws.on('error', () => undefined);
  });
}

test('queue sockets count in the per-agent stream cap: 429 with Retry-After past it, a slot frees on close', async () => {
  const [first, second] = [queue('ann'), queue('ann')];
  await Promise.all([first.opened, second.opened]);

  const over = await refusal('ann');
  assert.equal(over.status, 429);
  assert.ok(Number(over.retryAfter) >= 1, `Retry-After (${over.retryAfter})`);

  // The cap is the principal's, for every kind of stream: a ticket stream is refused as well.
  const ticketId = 't-queue-cap';
  g.snapshots.set(ticketId, [ev(ticketId, 1)]);
  const ticketStream = new StreamClient(streamUrl(g, ticketId), { token: token('ann') });
  assert.equal(await ticketStream.waitAnswered(), 429);

  // Another agent has slots of their own.
  const bea = queue('bea');
  await bea.opened;

  first.close();
  await first.waitClosed();
  const third = queue('ann');
  await third.opened; // rejects with the status if refused
  for (const c of [second, third, bea]) c.close();
});
