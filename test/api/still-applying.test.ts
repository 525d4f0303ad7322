/**
 * The API's answer for an action accepted but not applied within TICKET_APPLY_TIMEOUT (client/accept-deadline.ts
 * raises `StillApplying`): 202 with `applied: false` and no result, for agents and customers alike, instead of
 * the 500 any unexpected error gets; an applied action says `applied: true`. The ticket port stands in for
 * Temporal here: what raises StillApplying on the real server is test/workflow/still-applying.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StillApplying, type MessageAck } from '../../client';
import type { TicketApiPort } from '../../gateway/api/context';
import { consoleRoutes } from '../../gateway/api/register';
import { noTickets, startGateway, type RunningGateway } from '../gateway/harness';
import { call } from './http';

const TICKET = 't-still-applying';
const ack: MessageAck = {
  accepted: true,
  ticketId: TICKET,
  status: 'resolved',
  queue: 'none',
  awaiting: 'feedback',
  lastSeq: 12,
  draftVersion: 1,
};
/** Whether the port's actions answer or are still being applied; the state read after them always fails. */
let applying = true;
const act = async (): Promise<MessageAck> => {
  if (applying) throw new StillApplying('u-1', 2_000);
  return ack;
};
const port = new Proxy(noTickets, {
  get: (target, name) =>
    name === 'review' || name === 'addMessage'
      ? act
      : name === 'ownerOf'
        ? async () => ({ userId: 'mona', orgId: 'acme-corp' })
        : target[name as keyof TicketApiPort],
});

let g: RunningGateway;
before(async () => {
  g = await startGateway({ deps: { kafka: false, registerRoutes: consoleRoutes({ tickets: port, ui: false }) } });
});
after(() => g?.stop());

const token = (role: 'agent' | 'customer', sub: string) =>
  g.gw.auth.signAccessToken({ sub, role, orgId: 'acme-corp' }, 600_000);
const review = () =>
  call(g.url, 'POST', `/v1/tickets/${TICKET}/review`, {
    token: token('agent', 'ann'),
    body: { action: 'approve', draftVersion: 1 },
    idempotencyKey: 'k-1',
  });
const message = () =>
  call(g.url, 'POST', `/v1/tickets/${TICKET}/messages`, {
    token: token('customer', 'mona'),
    body: { text: 'Any news?' },
    idempotencyKey: 'k-2',
  });

describe('an action accepted and still being applied', () => {
  test("an agent's answer is 202, applied false, no result", async () => {
    applying = true;
    const res = await review();
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual(res.body, { accepted: true, applied: false, result: null, state: null });
  });

  test("a customer's answer is 202, applied false, no result", async () => {
    applying = true;
    const res = await message();
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual(res.body, { accepted: true, applied: false, result: null, state: null });
  });

  test('once applied, the same calls say so with the result', async () => {
    applying = false;
    const agent = await review();
    assert.equal(agent.status, 200, JSON.stringify(agent.body));
    assert.equal(agent.body.applied, true);
    assert.deepEqual(agent.body.result, ack);
    const customer = await message();
    assert.equal(customer.status, 202, JSON.stringify(customer.body));
    assert.equal(customer.body.applied, true);
    assert.deepEqual(customer.body.result, { status: 'resolved', lastSeq: 12 });
  });
});
