/**
 * A stream does not outlive its token: it closes with TOKEN_EXPIRED (4002) when the token that opened it
 * expires (for a ws-ticket, the access token it was minted from), and a reconnect with a fresh token and
 * `since` gets exactly what came after.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CloseCode } from '../../gateway/close-codes';
import { gatewayPerFile, ev, produce, StreamClient, streamUrl, uniqueName, type RunningGateway } from './harness';

let g: RunningGateway;
gatewayPerFile({}, (started) => (g = started));

const agent = (ttlMs: number) => g.gw.auth.signAccessToken({ sub: 'agent-exp', role: 'agent' }, ttlMs);

void describe('token expiry', () => {
  void test('a stream closes with 4002 when its token expires; a fresh token with since loses nothing', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, [ev(t, 1)]);
    const c = new StreamClient(streamUrl(g, t), { token: agent(2_000) });
    await c.opened;
    await produce(g.topic, [ev(t, 2)]);
    await c.waitForSeqCount(2);
    const closed = await c.waitClosed(10_000);
    assert.equal(closed.code, CloseCode.TOKEN_EXPIRED);

    await produce(g.topic, [ev(t, 3)]);
    g.snapshots.set(t, [ev(t, 1), ev(t, 2), ev(t, 3)]);
    const again = new StreamClient(streamUrl(g, t, `?since=${Math.max(...c.seqs())}`), { token: agent(300_000) });
    await again.opened;
    await produce(g.topic, [ev(t, 4)]);
    await again.waitForSeqCount(2);
    assert.deepEqual(again.seqs(), [3, 4]);
    again.close();
  });

  void test('a stream opened with a ws-ticket lives as long as the access token, not the ws-ticket', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const res = await fetch(`${g.url}/v1/ws-tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent(4_000)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ticketId: t }),
    });
    const { ticket } = (await res.json()) as { ticket: string };
    const c = new StreamClient(streamUrl(g, t, `?token=${encodeURIComponent(ticket)}`));
    await c.opened;
    const closed = await c.waitClosed(10_000);
    assert.equal(
      closed.code,
      CloseCode.TOKEN_EXPIRED,
      'closed at the access token expiry (4 s), long before the ws-ticket TTL (60 s)',
    );
  });
});
