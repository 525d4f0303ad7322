/**
 * One access check for HTTP and streams (gateway/auth/authorize.ts): a customer opens only their own ticket,
 * judged by the token's subject and organisation against the ticket's owner, not only by the ticket the token
 * names. The stream used to trust a token's `incident_id` alone: a customer token naming someone else's ticket
 * opened that ticket's stream. Unit cases, then both routes on the real stack.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { authorizeTicket, type TicketPrincipal } from '../../gateway/auth/authorize';
import { AuthError } from '../../gateway/auth/errors';
import { startStack, type Stack } from '../e2e/stack';
import { call } from './http';

const owner = { userId: 'mona', orgId: 'acme-corp' };

function refusal(principal: TicketPrincipal, ticketId: string, withOwner = true): string | null {
  try {
    authorizeTicket(principal, ticketId, withOwner ? owner : undefined);
    return null;
  } catch (err) {
    return err instanceof AuthError ? err.reason : String(err);
  }
}

describe('authorizeTicket with the owner', () => {
  test('agents any ticket; a customer only their own, in their organisation, and only the ticket a scoped token names', () => {
    assert.equal(refusal({ sub: 'ann', role: 'agent' }, 'T1'), null);
    assert.equal(refusal({ sub: 'mona', role: 'customer', orgId: 'acme-corp' }, 'T1'), null);
    assert.equal(refusal({ sub: 'mona', role: 'customer', orgId: 'acme-corp', incidentId: 'T1' }, 'T1'), null);
    assert.equal(
      refusal({ sub: 'bob', role: 'customer', orgId: 'acme-corp', incidentId: 'T1' }, 'T1'),
      'forbidden',
      'a scoped token for a ticket that is not theirs',
    );
    assert.equal(
      refusal({ sub: 'mona', role: 'customer', orgId: 'other-org' }, 'T1'),
      'forbidden',
      'the same name in another organisation',
    );
    assert.equal(refusal({ sub: 'mona', role: 'customer', orgId: 'acme-corp', incidentId: 'T2' }, 'T1'), 'forbidden');
    assert.equal(
      refusal({ sub: 'bob', role: 'customer', kind: 'ws-ticket', incidentId: 'T1' }, 'T1'),
      'forbidden',
      'a ws-ticket held by someone else',
    );
  });

  test('before the owner is known only a token scoped to the ticket passes for a customer', () => {
    assert.equal(refusal({ sub: 'mona', role: 'customer', incidentId: 'T1' }, 'T1', false), null);
    assert.equal(refusal({ sub: 'mona', role: 'customer' }, 'T1', false), 'missing_claims');
    assert.equal(refusal({ sub: 'ann', role: 'agent' }, 'T1', false), null);
  });
});

describe('the same check on the HTTP API and the stream', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  /** The status the stream's upgrade answers (101 when it opens). */
  function streamStatus(ticketId: string, token: string): Promise<number> {
    const url = `${stack.url.replace(/^http/, 'ws')}/v1/tickets/${ticketId}/stream`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
      ws.on('upgrade', (res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      ws.on('error', (err) => reject(err));
    });
  }

  test("a customer token naming someone else's ticket opens neither its state nor its stream", async () => {
    const created = await call(stack.url, 'POST', '/v1/tickets', {
      token: stack.token('customer', 'mona'),
      body: { text: 'Where is my invoice for March?' },
    });
    const ticketId = String(created.body.ticketId);
    const own = stack.token('customer', 'mona', { incidentId: ticketId });
    const intruder = stack.token('customer', 'bob', { incidentId: ticketId });

    assert.equal((await call(stack.url, 'GET', `/v1/tickets/${ticketId}`, { token: own })).status, 200);
    assert.equal((await call(stack.url, 'GET', `/v1/tickets/${ticketId}`, { token: intruder })).status, 403);
    assert.equal(await streamStatus(ticketId, own), 101);
    assert.equal(await streamStatus(ticketId, intruder), 403);
  });
});
