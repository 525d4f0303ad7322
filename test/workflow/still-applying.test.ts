/**
 * An agent's edit is accepted, but its step (the reply check, an activity) does not finish: a slow check, or
 * its worker died half way. The client used to hold the caller until a worker finished the step, with no
 * bound (the HTTP request behind it too). Now past TICKET_APPLY_TIMEOUT the caller is answered "accepted,
 * still applying" (`StillApplying`, the API's 202); the same update id sent again joins it and, once the step
 * has run, gets its answer; the edit is applied once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createActivities } from '../../activities';
import { StillApplying } from '../../client';
import { testConfig, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { devServerCase } from './helpers/dev-server-case';
import { jitteryPublisher, randomFrom } from './helpers/interleave';
import { createScriptedIntelligence } from './helpers/scripted-intelligence';

const taskQueue = uniqueName('wf-still-applying');
const cfg = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue, TICKET_APPLY_TIMEOUT: '2s' });
const { intelligence } = createScriptedIntelligence(new Map());
const c = devServerCase(cfg);

/** How long the first call may take before the test calls it unbounded (the old client waits for the gate). */
const UNBOUNDED_MS = 20_000;

describe('an accepted action whose step has not finished (dev server)', { timeout: 120_000 }, () => {
  test('answers "still applying" in bounded time; the same update id then gets its answer, applied once', async () => {
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let checks = 0;
    const activities = createActivities({ intelligence, publisher: jitteryPublisher(randomFrom(5), 1).publisher });
    const check = activities.checkReply;
    activities.checkReply = async (...args) => {
      checks += 1;
      await gate;
      return check(...args);
    };
    const worker = await c.worker(activities);
    // Opened in the end whatever happens: the worker's shutdown waits for the held check.
    await worker.runUntil(runCase().finally(() => openGate()));

    async function runCase() {
      const { ticketId } = await c.tickets.createTicket({ text: 'my invoice is wrong', userId: 'u1', orgId: 'o1' });
      c.started.push(ticketId);
      const waiting = await waitFor(async () => (await c.tickets.getState(ticketId)).pendingReview, {
        timeoutMs: 30_000,
      });
      const text = 'Hello, we corrected the invoice; the new copy is in your account.';
      const edit = { action: 'edit', draftVersion: waiting.draftVersion, text, reviewer: 'r' } as const;
      const updateId = `${ticketId}-edit`;

      const t0 = Date.now();
      const first = await Promise.race([
        c.tickets.review(ticketId, edit, updateId).then(
          () => 'applied before the check ran',
          (err: unknown) => err,
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting: no bound'), UNBOUNDED_MS)),
      ]);
      const waited = Date.now() - t0;
      assert.ok(first instanceof StillApplying, String(first));
      assert.equal(first.updateId, updateId);
      assert.ok(waited >= 2_000 && waited < UNBOUNDED_MS, `answered after ${waited} ms`);
      await waitFor(() => checks === 1 || undefined, { timeoutMs: 10_000, message: 'the check running' });

      // Decided: the ticket no longer offers the draft for review, and another decision on it is refused.
      const meanwhile = await c.tickets.getState(ticketId);
      assert.equal(meanwhile.pendingReview, null);
      await assert.rejects(c.tickets.review(ticketId, { ...edit, text: 'Another reply.' }, `${ticketId}-edit-2`), {
        code: 'conflict',
      });

      openGate();
      // The same update id joins the first and gets its answer once applied (on a slow machine, after more
      // "still applying" answers of its own).
      const ack = await waitFor(
        () =>
          c.tickets.review(ticketId, edit, updateId).catch((err: unknown) => {
            if (err instanceof StillApplying) return undefined;
            throw err;
          }),
        { timeoutMs: 30_000, message: 'the edit applied' },
      );
      assert.equal(ack.accepted, true);
      const done = await waitFor(
        async () => {
          const s = await c.tickets.getState(ticketId);
          return s.reply ? s : undefined;
        },
        { timeoutMs: 30_000, message: 'the edited reply sent' },
      );
      assert.equal(done.reply?.text, text);
      assert.equal(done.reviewHistory.filter((r) => r.action === 'edit').length, 1, 'edited once');
      assert.equal(checks, 1, 'checked once');
    }
  });
});
