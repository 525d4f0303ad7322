/**
 * HTTP and WebSocket hygiene at the edge: a body declared over the limit is answered 413 at once and the
 * connection closed, without waiting for (or reading) the rest; HEAD answers carry no body; a frame over the
 * payload limit closes the socket with 1009, on the ticket stream and the queue stream alike; a query
 * parameter given twice is refused; a body that is not JSON is not quoted back; the ws-ticket route's body is
 * checked as the API's are.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { consoleRoutes } from '../../gateway/api/register';
import type { TicketApiPort } from '../../gateway/api/context';
import { CloseCode } from '../../gateway/close-codes';
import { QUEUE_MAX_INBOUND_BYTES } from '../../gateway/queue/route';
import { TicketflowError } from '../../core/errors';
import { agentToken, customerToken, gatewayPerFile, streamUrl, uniqueName, type RunningGateway } from './harness';

const noTickets = new Proxy(
  {},
  { get: () => async () => Promise.reject(new TicketflowError('not_found', 'no such ticket')) },
) as TicketApiPort;

let g: RunningGateway;
gatewayPerFile(
  { deps: { registerRoutes: consoleRoutes({ tickets: noTickets, ui: false }) } },
  (started) => (g = started),
);

/** Sends `head` (and optionally a first piece of body) on a raw socket; resolves with all it read and how it ended. */
function raw(head: string, body = '', waitMs = 5_000): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(g.port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ text, closedByServer: false });
    }, waitMs);
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('end', () => {
      clearTimeout(timer);
      s.destroy();
      resolve({ text, closedByServer: true });
    });
    s.on('error', reject);
    s.write(head + body);
  });
}

void describe('http hygiene', () => {
  void test('a body declared over the limit: 413 at once, and the connection is closed', async () => {
    const token = agentToken(g);
    const head = [
      'POST /v1/tickets HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      'Content-Length: 50000000',
      '',
      '',
    ].join('\r\n');
    const r = await raw(head, '{"text": "');
    assert.match(r.text, /^HTTP\/1\.1 413 /);
    assert.ok(r.closedByServer, 'the gateway closes instead of waiting for 50 MB it will not read');
  });

  for (const path of ['/healthz', '/v1/session', '/nope', '/v1/tickets/x']) {
    void test(`HEAD ${path} carries no body`, async () => {
      const r = await raw(
        `HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${agentToken(g)}\r\n\r\n`,
        '',
        1_500,
      );
      const [status, rest] = [r.text.split('\r\n')[0], r.text.slice(r.text.indexOf('\r\n\r\n') + 4)];
      assert.match(status ?? '', /^HTTP\/1\.1 \d{3}/);
      assert.equal(rest, '', `${status}: no body after the headers`);
    });
  }

  void test('a frame over the payload limit closes with 1009', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const ws = new WebSocket(streamUrl(g, t), { headers: { authorization: `Bearer ${agentToken(g)}` } });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(g.config.gateway.maxPayloadBytes + 1));
    assert.equal(await closed, CloseCode.MESSAGE_TOO_BIG);
  });

  void test('a frame over the queue stream limit closes with 1009, not a dropped connection', async () => {
    const ws = new WebSocket(`${g.wsUrl}/v1/queue/stream`, { headers: { authorization: `Bearer ${agentToken(g)}` } });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(QUEUE_MAX_INBOUND_BYTES + 1));
    assert.equal(await closed, CloseCode.MESSAGE_TOO_BIG);
  });

  void test('a query parameter given twice is a 400 naming it, not one of the two kept in silence', async () => {
    const headers = { authorization: `Bearer ${agentToken(g)}` };
    for (const path of ['/v1/tickets?status=closed&status=awaiting_review', '/v1/desk?ids=t-a&ids=t-b']) {
      const r = await fetch(`${g.url}${path}`, { headers });
      assert.equal(r.status, 400, path);
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.match(body.error.message, /(status|ids) is given more than once/, path);
    }
  });

  void test('a body that is not JSON is a 400 that does not quote it back', async () => {
    const headers = { authorization: `Bearer ${customerToken(g, 'T-1')}`, 'content-type': 'application/json' };
    for (const body of ['hunter2', 'password=hunter2-and-more', '{"text": "pw hunter2" oops}']) {
      const r = await fetch(`${g.url}/v1/tickets`, { method: 'POST', headers, body });
      assert.equal(r.status, 400, body);
      const text = await r.text();
      assert.match(text, /body is not valid JSON/, body);
      assert.ok(!text.includes('hunter'), `the answer quotes the body: ${text}`);
    }
  });

  void test('POST /v1/ws-tickets takes JSON with ticketId alone, as every API body (415, 400)', async () => {
    const authorization = `Bearer ${agentToken(g)}`;
    const post = (body: string, contentType: string) =>
      fetch(`${g.url}/v1/ws-tickets`, {
        method: 'POST',
        headers: { authorization, 'content-type': contentType },
        body,
      });
    assert.equal((await post('{"ticketId":"t-1"}', 'application/json')).status, 201);
    assert.equal((await post('{"ticketId":"t-1"}', 'text/plain')).status, 415);
    assert.equal((await post('{"ticketId":"t-1","role":"agent"}', 'application/json')).status, 400);
  });
});
