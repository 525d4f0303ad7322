/**
 * The ticket workflow on the real Temporal dev server, driven through client/ (the same client
 * the gateway and the CLI use), with the real activities over a scripted intelligence and the real Kafka
 * publisher: the flows (review, redraft, routing, security, missing SOP, guardrail). The controls (validators,
 * idempotency, events, limits, escalate/close/cancel, worker restart, continue-as-new) are in
 * ticket-workflow-controls.test.ts; long timers (SLA, after-runner, feedback window) in ticket-timers.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ticketReviewDueKey, ticketTextKey } from '../../workflows/search-attributes';
import { workflowIdFor } from '../../workflows/state';
import { waitFor } from '../helpers/wait';
import { assertGapFree, typesOf } from './helpers/harness';
import { bytesIn, rejects, ticketWorkflowSuite } from './helpers/ticket-suite';

const wf = ticketWorkflowSuite();
const { recorder, withWorker, create, until, awaitingReview } = wf;

describe('ticket workflow (dev server)', () => {
  test('approve: triage -> agent -> draft -> review -> sent -> resolved, with search attributes and events', async () => {
    await withWorker(async () => {
      const id = await create({});
      const s = await awaitingReview(id);
      assert.equal(s.status, 'awaiting_review');
      assert.equal(s.queue, 'review');
      assert.equal(s.topic, 'Billing');
      assert.doesNotMatch(s.redactedText ?? '', /jo@example\.com/);
      // Scrubbed at the edge: no payload anywhere in the workflow's history (what the Web UI shows) holds it.
      const history = await wf.client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
      const payloadTexts = bytesIn(history).map((b) => Buffer.from(b).toString('utf8'));
      assert.ok(
        payloadTexts.some((t) => t.includes('[REDACTED_EMAIL]')),
        'the redacted text is in the history',
      );
      assert.ok(!payloadTexts.some((t) => t.includes('jo@example.com')), 'the raw address is nowhere in the history');
      assert.equal(s.draft?.version, 1);
      assert.deepEqual(s.pendingReview?.actions, ['approve', 'edit', 'reject']);
      // The review's due time is a Datetime search attribute while the review is pending (the deadline sort).
      const handle = wf.client.workflow.getHandle(workflowIdFor(id));
      const due = await waitFor(async () => (await handle.describe()).typedSearchAttributes.get(ticketReviewDueKey), {
        message: 'TicketReviewDue set',
        timeoutMs: 10_000,
      });
      assert.equal(due.toISOString(), s.pendingReview?.dueAt);
      // Free-text search reads the redacted words only: the address's parts are not among them.
      const words = (await handle.describe()).typedSearchAttributes.get(ticketTextKey);
      assert.match(
        words ?? '',
        /^my runners are down and billing looks wrong scenario \w+ contact me at redacted email$/,
      );

      const ack = await wf.tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'ana' });
      assert.equal(ack.status, 'resolved');
      const done = await until(id, (x) => x.status === 'resolved', 'resolved');
      assert.equal(done.reply?.text, s.draft?.text);
      assert.deepEqual(
        done.reviewHistory.map((r) => [r.action, r.reviewer]),
        [['approve', 'ana']],
      );
      const types = typesOf(done);
      for (const t of ['status', 'tool', 'draft', 'review_requested', 'message', 'resolved'])
        assert.ok(types.includes(t), `missing ${t} event`);
      assert.ok(
        types.indexOf('draft') < types.indexOf('review_requested') &&
          types.indexOf('review_requested') < types.indexOf('resolved'),
      );
      assertGapFree(done.events);

      const d = await wf.client.workflow.getHandle(workflowIdFor(id)).describe();
      assert.equal(d.typedSearchAttributes.get({ name: 'TicketStatus', type: 'KEYWORD' }), 'resolved');
      assert.equal(d.typedSearchAttributes.get({ name: 'TicketTopic', type: 'KEYWORD' }), 'Billing');
      assert.equal(d.typedSearchAttributes.get(ticketReviewDueKey), undefined, 'no deadline once decided');
      const listed = await waitFor(
        async () =>
          (await wf.tickets.listTickets({ status: 'resolved', pageSize: 100 })).tickets.find((t) => t.ticketId === id),
        { message: 'ticket listed as resolved', timeoutMs: 10_000 },
      );
      assert.equal(listed.topic, 'Billing');
      assert.equal(listed.reviewDueAt, null);

      const closed = await wf.tickets.close(id, { by: 'ops', reason: 'test done' });
      assert.equal(closed.status, 'closed');
      const outcome = await wf.tickets.result(id);
      assert.equal(outcome.status, 'closed');
    });
  });

  test('edit: the edited text is what is sent, as a new draft version by a person', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      await wf.tickets.review(id, { action: 'edit', draftVersion: 1, reviewer: 'ben', text: 'Hello, fixed by hand.' });
      const s = await until(id, (x) => x.status === 'resolved', 'resolved');
      assert.equal(s.reply?.text, 'Hello, fixed by hand.');
      assert.deepEqual(s.draft, { version: 2, text: 'Hello, fixed by hand.', model: 'human' });
      const sent = s.events.find((e) => e.type === 'message' && e.data.from === 'agent');
      assert.equal(sent?.data.text, 'Hello, fixed by hand.');
    });
  });

  test('reject -> redraft with the reason -> approve', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const ack = await wf.tickets.review(id, {
        action: 'reject',
        draftVersion: 1,
        reviewer: 'cy',
        reason: 'mention the refund',
      });
      assert.equal(ack.accepted, true);
      const s = await until(id, (x) => x.awaiting === 'review' && x.draft?.version === 2, 'second draft in review');
      assert.match(s.draft!.text, /after: mention the refund/);
      assert.equal(recorder.drafts.filter((d) => d.ctx.ticketId === id).at(-1)?.rejectionReason, 'mention the refund');
      await wf.tickets.review(id, { action: 'approve', draftVersion: 2, reviewer: 'cy' });
      const done = await until(id, (x) => x.status === 'resolved', 'resolved');
      assert.deepEqual(
        done.reviewHistory.map((r) => r.action),
        ['reject', 'approve'],
      );
      assert.equal(done.redrafts, 1);
    });
  });

  test('reject beyond the redraft limit -> a person writes the reply', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      await wf.tickets.review(id, { action: 'reject', draftVersion: 1, reviewer: 'dee', reason: 'too vague' });
      await until(id, (x) => x.awaiting === 'review' && x.draft?.version === 2, 'redraft');
      await wf.tickets.review(id, { action: 'reject', draftVersion: 2, reviewer: 'dee', reason: 'still vague' });
      const s = await until(id, (x) => x.awaiting === 'human', 'handed to a person');
      assert.equal(s.queue, 'human_live');
      assert.deepEqual(s.pendingReview?.actions, ['edit']);
      assert.match(s.awaitingReason ?? '', /limit 1 redraft/);
      await rejects(
        wf.tickets.review(id, { action: 'approve', draftVersion: 2, reviewer: 'dee' }),
        'conflict',
        /approve is not possible now/,
      );
      await wf.tickets.review(id, { action: 'edit', draftVersion: 2, reviewer: 'dee', text: 'Written by a person.' });
      const done = await until(id, (x) => x.status === 'resolved', 'resolved');
      assert.equal(done.reply?.text, 'Written by a person.');
      assert.equal(recorder.drafts.filter((d) => d.ctx.ticketId === id).length, 2, 'no third model draft');
    });
  });

  test('unknown topic -> the human live queue, no agent runs', async () => {
    await withWorker(async () => {
      const id = await create({ analysis: { topic: 'unknown' } }, 'What is the meaning of life');
      const s = await until(id, (x) => x.awaiting === 'human', 'human live');
      assert.equal(s.queue, 'human_live');
      assert.equal(s.draft, null);
      assert.equal(s.findings.length, 0);
      assert.equal(s.pendingReview?.draftVersion, 1);
      assert.ok(!recorder.calls.some((c) => c.ticketId === id && c.name.startsWith('agent:')));
      await wf.tickets.review(id, { action: 'edit', draftVersion: 1, reviewer: 'eve', text: 'A person answers.' });
      await until(id, (x) => x.status === 'resolved', 'resolved');
    });
  });

  test('topics without a domain agent are escalated while the others proceed', async () => {
    await withWorker(async () => {
      const id = await create({ analysis: { topic: 'Billing', topics: ['Workers', 'A&S'] } });
      const s = await awaitingReview(id);
      assert.deepEqual(s.routing?.agentTopics, ['Billing', 'A&S']);
      assert.deepEqual(s.routing?.escalatedTopics, ['Workers']);
      assert.ok(s.escalations.some((e) => e.by === 'router' && /Workers/.test(e.reason)));
      assert.deepEqual(
        s.findings.map((f) => f.topic),
        ['Billing', 'A&S'],
      );
      await wf.tickets.close(id, { by: 'test' });
    });
  });

  test('sensitive with high confidence: the three security tools run in parallel, then the secure queue; release continues', async () => {
    await withWorker(async () => {
      const id = await create({
        analysis: { topic: 'A&S', is_sensitive: true, urgency: 'high' },
        security: { risk_category: 'TOKEN_EXPOSURE', confidence_score: 0.93 },
        securityBarrier: true,
      });
      const s = await until(id, (x) => x.status === 'security_review' && x.awaiting === 'human', 'security hold');
      assert.equal(s.queue, 'security');
      assert.equal(s.incidentId, `inc-${id}`);
      assert.match(s.brief?.summary ?? '', /TOKEN_EXPOSURE/);
      const calls = recorder.calls.filter(
        (c) => c.ticketId === id && ['revoke_tokens', 'ip_reputation', 'audit_events'].includes(c.name),
      );
      const starts = calls.filter((c) => c.phase === 'start');
      const ends = calls.filter((c) => c.phase === 'end');
      assert.equal(starts.length, 3);
      assert.equal(ends.length, 3);
      assert.ok(
        Math.max(...starts.map((c) => c.at)) <= Math.min(...ends.map((c) => c.at)),
        'all three started before any completed',
      );
      assert.ok(wf.tap.alerts.some((a) => a.kind === 'security_incident' && a.ticketId === id));
      assert.equal(s.pendingReview?.releasable, true);

      await wf.tickets.release(id, { reviewer: 'sec-1', note: 'tokens rotated, safe to continue' });
      const r = await awaitingReview(id);
      assert.equal(r.queue, 'security', 'sensitive tickets are reviewed in the security queue');
      await rejects(wf.tickets.release(id, { reviewer: 'sec-1' }), 'conflict', /nothing to release/);
      await wf.tickets.close(id, { by: 'test' });
    });
  });

  test('missing SOP: waits in needs_sop, the SOP is provided and saved, the ticket resumes', async () => {
    await withWorker(async () => {
      const id = await create({ missingSopFor: ['Billing'] });
      const s = await until(id, (x) => x.status === 'awaiting_sop', 'awaiting sop');
      assert.equal(s.queue, 'needs_sop');
      assert.equal(s.awaiting, 'sop');
      assert.equal(s.sopNeededFor, 'Billing');
      await rejects(wf.tickets.provideSop(id, { title: '', body: 'x', author: 'm' }), 'bad_input', /title/);
      await wf.tickets.provideSop(id, { title: 'Refunds', body: 'Check the transaction id first.', author: 'mgr' });
      const r = await awaitingReview(id);
      assert.deepEqual(
        r.sops.map((x) => x.source),
        ['human'],
      );
      assert.ok(recorder.savedSops.some((x) => x.title === 'Refunds'));
      await rejects(
        wf.tickets.provideSop(id, { title: 'again', body: 'x', author: 'm' }),
        'conflict',
        /no SOP is needed now/,
      );
      await wf.tickets.close(id, { by: 'test' });
    });
  });

  test('a draft that breaks the guardrail goes to a person', async () => {
    await withWorker(async () => {
      const id = await create({ violatingVersions: [1] });
      const s = await until(id, (x) => x.awaiting === 'human', 'human');
      assert.equal(s.queue, 'human_live');
      assert.equal(s.draft?.violation, 'bypass');
      assert.match(s.awaitingReason ?? '', /guardrail/);
      await rejects(
        wf.tickets.review(id, { action: 'approve', draftVersion: 1, reviewer: 'x' }),
        'conflict',
        /approve is not possible/,
      );
      await wf.tickets.review(id, { action: 'edit', draftVersion: 1, reviewer: 'x', text: 'Compliant reply.' });
      await until(id, (x) => x.status === 'resolved', 'resolved');
    });
  });
});
