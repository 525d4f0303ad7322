/**
 * End to end on the dev server with the real parts: createIntelligence (rules model, SQLite tools, SOPs from
 * sops/) and the real Kafka publisher. The ticket's events are read back from a unique Kafka topic: every
 * record decodes with the shared envelope, keyed by the ticket id, and the durable seqs are 1..n.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Consumer } from 'kafkajs';
import { decodeTicketEvent, type TicketEvent } from '../../core/events';
import { testKafka, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { assertGapFree, waitForState } from './helpers/harness';
import { realWorkerParts } from './helpers/real-parts';

let consumer: Consumer | undefined;
const received: TicketEvent[] = [];
const rejected: string[] = [];
const parts = realWorkerParts('e2e', {
  eventsPartitions: 3,
  setUp: async (topic) => {
    consumer = testKafka('wf-e2e').consumer({ groupId: uniqueName('wf-e2e-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeTicketEvent(message.key, message.value);
        if (decoded.ok) received.push(decoded.event);
        else rejected.push(decoded.reason);
      },
    });
  },
  tearDown: async () => consumer?.disconnect(),
});

test('a real ticket: real intelligence, events on Kafka with gap-free seq, approve -> resolved -> closed', async () => {
  const { worker, tickets } = await parts.start();
  await worker.runUntil(async () => {
    const { ticketId } = await tickets.createTicket({
      text: 'I am locked out of my account by 2FA after losing my phone, my email is dana@example.com. Please help me get back in.',
      userId: 'dana',
      orgId: 'acme',
      channel: 'web',
    });
    const s = await waitForState(
      () => tickets.getState(ticketId),
      (x) => x.awaiting !== null,
      'a person is needed',
      30_000,
    );
    assert.doesNotMatch(JSON.stringify(s), /dana@example\.com/, 'the raw email never reaches the state');
    assert.ok(s.analysis, 'triaged by the real triage');
    assert.equal(
      s.awaiting,
      'review',
      `the rules model routes a 2FA lockout to review (got ${s.status}/${s.awaiting}: ${s.awaitingReason})`,
    );
    await tickets.review(ticketId, { action: 'approve', draftVersion: s.pendingReview!.draftVersion, reviewer: 'e2e' });
    await tickets.close(ticketId, { by: 'e2e', reason: 'test done' });
    const final = await tickets.getState(ticketId);
    assertGapFree(final.events);

    // Kafka has every durable event (at least once), the token previews, and nothing malformed.
    const mine = () => received.filter((e) => e.ticketId === ticketId);
    await waitFor(
      () =>
        new Set(
          mine()
            .filter((e) => e.type !== 'token')
            .map((e) => e.seq),
        ).size >= final.lastSeq,
      { timeoutMs: 20_000, message: 'all events on Kafka' },
    );
    assert.deepEqual(rejected, []);
    const durable = new Map(
      mine()
        .filter((e) => e.type !== 'token')
        .map((e) => [e.seq, e]),
    );
    assert.deepEqual(
      [...durable.keys()].sort((a, b) => a - b),
      Array.from({ length: final.lastSeq }, (_, i) => i + 1),
    );
    const draft = final.events.find((e) => e.type === 'draft')!;
    const tokens = mine().filter((e) => e.type === 'token');
    assert.ok(tokens.length > 0, 'the draft streamed');
    assert.ok(tokens.every((t) => t.seq === draft.seq));
    assert.ok(durable.get(final.events.find((e) => e.type === 'resolved')!.seq), 'resolved is on Kafka');
    assert.equal(durable.get(final.lastSeq)?.data.status, 'closed');
  });
});
