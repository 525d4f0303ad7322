/**
 * What a ticket writes on the Temporal server, counted from its history (issue 9): every history event and
 * every search-attribute upsert (a visibility write) costs server CPU per ticket. A new run records one patch
 * marker (`shape5`; the SDK adds a `TemporalChangeVersion` upsert to each marker) and sets the ticket's
 * search attributes at most once per workflow task, with the same values a person's list and search read.
 * Before `shape5` a ticket to review recorded 11 patch markers and 18 upserts over 6 workflow tasks.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { temporal } from '@temporalio/proto';
import {
  ticketQueueKey,
  ticketReviewDueKey,
  ticketStatusKey,
  ticketTextKey,
  ticketTopicKey,
} from '../../workflows/search-attributes';
import { workflowIdFor } from '../../workflows/state';
import { waitFor } from '../helpers/wait';
import { ticketWorkflowSuite } from './helpers/ticket-suite';

const wf = ticketWorkflowSuite();
const { withWorker, create, awaitingReview } = wf;

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The ticket-attribute upserts each workflow task made (its commands follow its completed event). */
function ticketUpsertsPerTask(events: HistoryEvent[]): number[] {
  const perTask: number[] = [];
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) perTask.push(0);
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
    if (Object.keys(fields).some((k) => k.startsWith('Ticket'))) perTask[perTask.length - 1]! += 1;
  }
  return perTask;
}

/** Each ticket attribute's stored form (the payload's bytes); a removal or an empty value counts as absent. */
function stored(fields: Record<string, { data?: Uint8Array | null } | null | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, p] of Object.entries(fields)) {
    const data = Buffer.from(p?.data ?? []).toString('utf8');
    if (k.startsWith('Ticket') && data !== '' && data !== 'null' && data !== '[]') out.set(k, data);
  }
  return out;
}

/** Every ticket attribute an upsert set to the value it already had (from the start request or an upsert). */
function repeatedValues(events: HistoryEvent[]): string[] {
  const start = events[0]?.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ?? {};
  const current = stored(start);
  const repeated: string[] = [];
  for (const e of events) {
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
    if (!fields) continue;
    const now = stored(fields);
    for (const k of Object.keys(fields).filter((name) => name.startsWith('Ticket'))) {
      if (current.get(k) === now.get(k))
        repeated.push(`${k}=${now.get(k) ?? '(absent)'} at event ${String(e.eventId)}`);
      if (now.has(k)) current.set(k, now.get(k)!);
      else current.delete(k);
    }
  }
  return repeated;
}

describe('a ticket on the server (history counts)', () => {
  test('to review: one patch marker, at most one attribute upsert per workflow task, the values current', async () => {
    await withWorker(async () => {
      const id = await create({});
      const s = await awaitingReview(id);
      const handle = wf.client.workflow.getHandle(workflowIdFor(id));
      const events = (await handle.fetchHistory()).events ?? [];
      const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
      assert.equal(markers.length, 1, `patch markers recorded: ${markers.length}`);
      const perTask = ticketUpsertsPerTask(events);
      assert.ok(
        perTask.every((n) => n <= 1),
        `ticket attribute upserts per workflow task: ${perTask.join(', ')}`,
      );

      const attrs = await waitFor(
        async () => {
          const a = (await handle.describe()).typedSearchAttributes;
          return a.get(ticketStatusKey) === 'awaiting_review' ? a : undefined;
        },
        { message: 'TicketStatus awaiting_review', timeoutMs: 10_000 },
      );
      assert.equal(attrs.get(ticketQueueKey), 'review');
      assert.equal(attrs.get(ticketTopicKey), 'Billing');
      assert.equal(attrs.get(ticketReviewDueKey)?.toISOString(), s.pendingReview?.dueAt);
      assert.match(attrs.get(ticketTextKey) ?? '', /^my runners are down and billing looks wrong /);
    });
  });

  test('started as its first task lists it: that task upserts nothing, and no upsert repeats a value', async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const events = (await wf.client.workflow.getHandle(workflowIdFor(id)).fetchHistory()).events ?? [];
      const perTask = ticketUpsertsPerTask(events);
      assert.equal(perTask[0], 0, `ticket attribute upserts per workflow task: ${perTask.join(', ')}`);
      assert.deepEqual(repeatedValues(events), [], 'upserts that set a value the ticket already had');
    });
  });

  test("a security ticket's containment starts no publish: the brief carries its events", async () => {
    await withWorker(async () => {
      const id = await create({
        analysis: { topic: 'A&S', is_sensitive: true },
        security: { risk_category: 'ATO', confidence_score: 0.95 },
      });
      await wf.until(id, (x) => x.status === 'security_review' && x.awaiting === 'human', 'security hold');
      const events = (await wf.client.workflow.getHandle(workflowIdFor(id)).fetchHistory()).events ?? [];
      const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
      // Only the hold's own events need a publish of their own: nothing follows them until a person acts.
      assert.deepEqual(
        scheduled.filter((n) => n === 'publishEvents'),
        ['publishEvents'],
        `activities to the security hold: ${scheduled.join(', ')}`,
      );
      await wf.tickets.close(id, { by: 'test' });
    });
  });

  test("a handler's change during a wait and the close reach the attributes without a step after them", async () => {
    await withWorker(async () => {
      const id = await create({});
      await awaitingReview(id);
      const handle = wf.client.workflow.getHandle(workflowIdFor(id));
      const attribute = (key: typeof ticketQueueKey, want: string) =>
        waitFor(async () => ((await handle.describe()).typedSearchAttributes.get(key) === want ? true : undefined), {
          message: `${key.name} ${want}`,
          timeoutMs: 10_000,
        });
      // Escalating moves the pending review to the live queue while the ticket waits for a person.
      await wf.tickets.escalate(id, { reason: 'VIP', by: 'lead' });
      await attribute(ticketQueueKey, 'human_live');
      await wf.tickets.close(id, { by: 'lead', reason: 'handled by phone' });
      await handle.result();
      await attribute(ticketStatusKey, 'closed');
    });
  });
});
