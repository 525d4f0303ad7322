/**
 * Every way a stream token can be wrong, against a real gateway: each is refused before the upgrade with the
 * right status, a valid one gets 101, and the gateway still serves afterwards. Also the uWS async rule: a
 * client that disconnects while its upgrade is being decided must not crash the process.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import jwt from 'jsonwebtoken';
import { createCapturingLogger } from '../../core/logger';
import {
  closeProducer,
  ev,
  metricValue,
  produce,
  startGateway,
  StreamClient,
  streamUrl,
  TEST_SECRET,
  uniqueName,
  waitFor,
  type RunningGateway,
} from './harness';

let g: RunningGateway;
const captured = createCapturingLogger('gateway');
const T = uniqueName('T');
const OTHER = uniqueName('T');

before(async () => {
  g = await startGateway({ partitions: 1, deps: { logger: captured.logger } });
  g.snapshots.set(T, [ev(T, 1)]);
  g.snapshots.set(OTHER, []);
});
after(async () => {
  await g?.stop();
  await closeProducer();
});

function signed(payload: Record<string, unknown>, opts: jwt.SignOptions = {}, key: string = TEST_SECRET): string {
  const o: jwt.SignOptions = {
    algorithm: 'HS256',
    audience: g.config.jwt.audience,
    issuer: g.config.jwt.issuer,
    jwtid: uniqueName('jti'),
    expiresIn: 300,
    ...opts,
  };
  for (const k of Object.keys(o) as (keyof jwt.SignOptions)[]) if (o[k] === undefined) delete o[k];
  return jwt.sign(payload, key, o);
}

async function mintWsTicket(token: string, ticketId: string): Promise<{ status: number; body: { ticket?: string } }> {
  const res = await fetch(`${g.url}/v1/ws-tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ticketId }),
  });
  return { status: res.status, body: (await res.json()) as { ticket?: string } };
}

async function answer(url: string, opts: ConstructorParameters<typeof StreamClient>[1] = {}): Promise<number> {
  const c = new StreamClient(url, opts);
  const status = await c.waitAnswered();
  c.ws.terminate();
  return status;
}

void describe('stream auth matrix', () => {
  void test('each bad token is refused with its status; valid tokens upgrade; the gateway keeps serving', async () => {
    const now = Math.floor(Date.now() / 1000);
    const customer = { sub: 'cust-1', role: 'customer', incident_id: T };
    const url = streamUrl(g, T);
    const usedTicket = (await mintWsTicket(g.gw.auth.signAccessToken({ sub: 'cust-1', incidentId: T }, 60_000), T)).body
      .ticket!;
    assert.equal(await answer(`${url}?token=${encodeURIComponent(usedTicket)}`), 101, 'first use of a ws-ticket');

    const cases: [string, number, ConstructorParameters<typeof StreamClient>[1] | string][] = [
      ['no token', 401, {}],
      ['garbage', 401, { token: 'not-a-jwt' }],
      [
        'alg none',
        401,
        {
          token: jwt.sign(customer, '', {
            algorithm: 'none',
            audience: g.config.jwt.audience,
            issuer: g.config.jwt.issuer,
            jwtid: 'x',
            expiresIn: 60,
          }),
        },
      ],
      ['wrong algorithm (HS512)', 401, { token: signed(customer, { algorithm: 'HS512' }) }],
      ['wrong secret', 401, { token: signed(customer, {}, 'some-other-secret-that-is-long-enough-000000') }],
      ['expired beyond the leeway', 401, { token: signed({ ...customer, exp: now - 30 }, { expiresIn: undefined }) }],
      ['not yet valid', 401, { token: signed({ ...customer, nbf: now + 120 }) }],
      ['wrong audience', 401, { token: signed(customer, { audience: 'someone-else' }) }],
      ['wrong issuer', 401, { token: signed(customer, { issuer: 'evil-issuer' }) }],
      [
        'missing claims (no sub, no jti)',
        401,
        { token: signed({ role: 'customer', incident_id: T }, { jwtid: undefined }) },
      ],
      ['customer without incident_id', 401, { token: signed({ sub: 'cust-1', role: 'customer' }) }],
      ['oversized token', 401, { token: signed({ ...customer, pad: 'x'.repeat(6000) }) }],
      ['another ticket', 403, { token: signed({ ...customer, incident_id: OTHER }) }],
      ['used ws-ticket reused', 401, `${url}?token=${encodeURIComponent(usedTicket)}`],
      ['access token in the query (only ws-tickets there)', 401, `${url}?token=${signed(customer)}`],
      ['valid customer token (Authorization)', 101, { token: signed(customer) }],
      ['valid agent token on any ticket', 101, { token: signed({ sub: 'agent-1', role: 'agent' }) }],
      [
        'valid token in Sec-WebSocket-Protocol (browser form)',
        101,
        { protocols: ['ticketflow.v1', `bearer.${signed(customer)}`] },
      ],
      [
        'expired within the 10 s leeway',
        101,
        { token: signed({ ...customer, exp: now - 3 }, { expiresIn: undefined }) },
      ],
    ];
    for (const [name, expected, opts] of cases) {
      const status = typeof opts === 'string' ? await answer(opts) : await answer(url, opts);
      assert.equal(status, expected, name);
    }
    for (const reason of [
      'missing',
      'malformed',
      'wrong_algorithm',
      'bad_signature',
      'expired',
      'not_yet_valid',
      'wrong_audience',
      'wrong_issuer',
      'missing_claims',
      'too_large',
      'forbidden',
      'replayed',
    ]) {
      assert.ok(
        (await metricValue(g, 'ticketflow_gateway_auth_failures_total', { reason })) >= 1,
        `auth failure counted: ${reason}`,
      );
    }

    // Still serving: a valid client gets its snapshot and a live event.
    const c = new StreamClient(url, { token: signed(customer) });
    await c.opened;
    await produce(g.topic, [ev(T, 2)]);
    await c.waitForSeqCount(2);
    assert.deepEqual(c.seqs(), [1, 2]);
    c.close();
    assert.equal((await fetch(`${g.url}/healthz`)).status, 200);
  });

  void test('a token for another ticket: 403 and a warning naming the user and the ticket, never the token', async () => {
    const token = signed({ sub: 'mallory', role: 'customer', incident_id: OTHER });
    assert.equal(await answer(streamUrl(g, T), { token }), 403);
    const line = await waitFor(() =>
      captured.lines.find((l) => l.message === 'stream refused: token is for another ticket' && l.sub === 'mallory'),
    );
    assert.equal(line.level, 'warn');
    assert.equal(line.ticketId, T);
    const signature = token.split('.')[2]!;
    assert.ok(!JSON.stringify(captured.lines).includes(signature), 'no token in any log line');
  });

  void test('the subprotocol answer is ticketflow.v1, never the token', async () => {
    const token = signed({ sub: 'cust-1', role: 'customer', incident_id: T });
    const c = new StreamClient(streamUrl(g, T), { protocols: ['ticketflow.v1', `bearer.${token}`] });
    await c.opened;
    assert.equal(c.ws.protocol, 'ticketflow.v1');
    c.close();
  });

  void test('ws-tickets: minted only for a ticket the token grants, single use', async () => {
    const customerToken = g.gw.auth.signAccessToken({ sub: 'cust-2', incidentId: T }, 60_000);
    assert.equal((await mintWsTicket(customerToken, OTHER)).status, 403);
    assert.equal((await mintWsTicket('garbage', T)).status, 401);
    const bad = await fetch(`${g.url}/v1/ws-tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customerToken}`, 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.equal(bad.status, 400);
    const big = await fetch(`${g.url}/v1/ws-tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customerToken}` },
      body: JSON.stringify({ ticketId: 'x'.repeat(10_000) }),
    });
    assert.equal(big.status, 413);
    const minted = await mintWsTicket(customerToken, T);
    assert.equal(minted.status, 201);
    const url = `${streamUrl(g, T)}?token=${encodeURIComponent(minted.body.ticket!)}`;
    assert.equal(await answer(url), 101);
    assert.equal(await answer(url), 401);
  });

  void test('a client that disconnects during the async upgrade does not crash the gateway', async () => {
    g.snapshots.delayMs = 800;
    try {
      const token = g.gw.auth.signAccessToken({ sub: 'agent-1', role: 'agent' }, 60_000);
      const before = await metricValue(g, 'ticketflow_gateway_upgrades_total', { outcome: 'aborted' });
      const sockets = Array.from({ length: 5 }, () => {
        const s = net.connect(g.port, '127.0.0.1');
        s.on('error', () => undefined);
        s.write(
          `GET /v1/tickets/${T}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${token}\r\n\r\n`,
        );
        return s;
      });
      await waitFor(() => g.snapshots.calls > 0 && g.gw.hub.pendingCount() >= 5, { message: 'upgrades pending' });
      for (const s of sockets) s.destroy();
      await waitFor(
        async () => (await metricValue(g, 'ticketflow_gateway_upgrades_total', { outcome: 'aborted' })) - before >= 5,
        { message: 'aborted upgrades counted' },
      );
      assert.equal(g.gw.hub.pendingCount(), 0, 'pending buffers released');
    } finally {
      g.snapshots.delayMs = 0;
    }
    assert.equal((await fetch(`${g.url}/healthz`)).status, 200);
    const c = new StreamClient(streamUrl(g, T), {
      token: g.gw.auth.signAccessToken({ sub: 'agent-1', role: 'agent' }, 60_000),
    });
    await c.opened;
    c.close();
  });

  void test('bad ticket id and bad since are 400', async () => {
    const token = g.gw.auth.signAccessToken({ sub: 'agent-1', role: 'agent' }, 60_000);
    assert.equal(await answer(`${g.wsUrl}/v1/tickets/bad%20id/stream`, { token }), 400);
    assert.equal(await answer(`${streamUrl(g, T)}?since=-4`, { token }), 400);
    assert.equal(await answer(`${streamUrl(g, T)}?since=abc`, { token }), 400);
  });
});
