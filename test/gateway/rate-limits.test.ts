/**
 * Per-principal limits: stream opens and open streams (429 + Retry-After before the upgrade), and the API's
 * ticket creation, messages and feedback (429 + Retry-After). Budgets are per subject: another principal is
 * not affected.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { consoleRoutes } from '../../gateway/api/register';
import {
  agentToken,
  customerToken,
  gatewayPerFile,
  noTickets,
  streamUrl,
  uniqueName,
  type RunningGateway,
} from './harness';
import { upgradeAnswer } from './upgrade-answer';

let g: RunningGateway;
// The workflow side is not under test: every ticket call answers "no such ticket" after the limit let it through.
gatewayPerFile(
  {
    env: {
      MAX_STREAMS_PER_PRINCIPAL: '2',
      RATE_LIMIT_STREAMS: '4/1m',
      RATE_LIMIT_TICKETS: '2/1m',
      RATE_LIMIT_MESSAGES: '3/1m',
      RATE_LIMIT_FEEDBACK: '1/1m',
    },
    deps: { registerRoutes: consoleRoutes({ tickets: noTickets, ui: false }) },
  },
  (started) => (g = started),
);

void describe('rate limits', () => {
  void test('open streams are capped per principal and stream opens have a budget; 429 with Retry-After', async () => {
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    const token = agentToken(g, 'agent-limited');
    const first = await upgradeAnswer(streamUrl(g, t), token);
    const second = await upgradeAnswer(streamUrl(g, t), token);
    assert.deepEqual([first.status, second.status], [101, 101]);
    const third = await upgradeAnswer(streamUrl(g, t), token);
    assert.equal(third.status, 429, 'a third open stream');
    assert.ok(Number(third.retryAfter) >= 1);
    assert.equal((await upgradeAnswer(streamUrl(g, t), agentToken(g, 'agent-other'))).status, 101, 'another principal');

    const closed = new Promise((r) => first.ws!.once('close', r));
    first.ws!.close();
    await closed;
    const again = await upgradeAnswer(streamUrl(g, t), token);
    assert.equal(again.status, 101, 'a slot freed by a close');
    again.ws!.close();
    second.ws!.close();
    // Four opens allowed per minute (three so far, the refused one not counted).
    assert.equal((await upgradeAnswer(streamUrl(g, t), token)).status, 101);
    const over = await upgradeAnswer(streamUrl(g, t), token);
    assert.equal(over.status, 429, 'the fifth open within the window');
    assert.ok(Number(over.retryAfter) >= 1 && Number(over.retryAfter) <= 60);
  });

  void test('queue stream opens spend the same budget: 429 with Retry-After before the upgrade', async () => {
    const token = agentToken(g, uniqueName('agent-queue'));
    const url = `${g.wsUrl}/v1/queue/stream`;
    // One socket at a time (closed before the next opens), so only the open budget (4/1m) can refuse.
    for (let i = 1; i <= 4; i++) {
      const opened = await upgradeAnswer(url, token);
      assert.equal(opened.status, 101, `queue stream open ${i} of the budget's 4`);
      const closed = new Promise((r) => opened.ws!.once('close', r));
      opened.ws!.close();
      await closed;
    }
    const over = await upgradeAnswer(url, token);
    assert.equal(over.status, 429, 'the fifth queue stream open within the window');
    assert.ok(Number(over.retryAfter) >= 1 && Number(over.retryAfter) <= 60, `Retry-After (${over.retryAfter})`);
    // The budget is the principal's across kinds of stream: a ticket stream open is refused as well.
    const t = uniqueName('T');
    g.snapshots.set(t, []);
    assert.equal((await upgradeAnswer(streamUrl(g, t), token)).status, 429, 'a ticket stream after the budget');
  });

  void test('ticket creation, messages and feedback have per-principal budgets', async () => {
    const post = async (path: string, token: string, body: unknown) => {
      const res = await fetch(`${g.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    };
    const t = uniqueName('T');
    const customer = customerToken(g, t, 'cust-limited');
    const statuses = async (path: string, body: unknown, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await post(path, customer, body)).status);
      return out;
    };
    const limited = (codes: number[]) => codes.map((c) => c === 429);
    assert.deepEqual(
      limited(await statuses('/v1/tickets', { text: 'I was charged twice for my order' }, 3)),
      [false, false, true],
      'third creation refused',
    );
    assert.deepEqual(
      limited(await statuses(`/v1/tickets/${t}/messages`, { text: 'any news?' }, 4)),
      [false, false, false, true],
      'fourth message refused',
    );
    const feedback = await post(`/v1/tickets/${t}/feedback`, customer, { resolved: true });
    assert.notEqual(feedback.status, 429);
    const feedbackOver = await post(`/v1/tickets/${t}/feedback`, customer, { resolved: true });
    assert.equal(feedbackOver.status, 429, 'second feedback refused');
    assert.ok(Number(feedbackOver.retryAfter) >= 1);
    assert.notEqual(
      (await post('/v1/tickets', customerToken(g, t, 'cust-other'), { text: 'I was charged twice for my order' }))
        .status,
      429,
      'another principal',
    );
  });
});
