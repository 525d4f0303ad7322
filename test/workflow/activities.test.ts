/** The activity wrappers: failure mapping for Temporal, and token streaming with the reserved seq. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { createActivities, toActivityFailure, type DraftInput } from '../../activities';
import { wordChunks } from '../../activities/drafting';
import type { EventPublisher } from '../../activities/events';
import type { Intelligence } from '../../activities/ports';
import { TicketflowError } from '../../core/errors';
import { ticketEventSchema, type TicketEvent } from '../../core/events';
import { createScriptedIntelligence } from './helpers/scripted-intelligence';

describe('activity failure mapping', () => {
  test('non-retriable TicketflowError -> nonRetryable ApplicationFailure with a typed name', () => {
    const f = toActivityFailure(new TicketflowError('auth', 'bad key')) as ApplicationFailure;
    assert.ok(f instanceof ApplicationFailure);
    assert.equal(f.nonRetryable, true);
    assert.equal(f.type, 'TicketflowError:auth');
  });

  test('retriable TicketflowError stays retryable', () => {
    const f = toActivityFailure(new TicketflowError('rate_limited', 'slow down')) as ApplicationFailure;
    assert.equal(f.nonRetryable, false);
    assert.equal(f.type, 'TicketflowError:rate_limited');
  });

  test('off-schema output is retryable as model_output_invalid; other errors pass through', () => {
    const zerr = z.object({ a: z.string() }).safeParse({}).error!;
    const f = toActivityFailure(zerr) as ApplicationFailure;
    assert.equal(f.type, 'TicketflowError:model_output_invalid');
    assert.equal(f.nonRetryable, false);
    const plain = new Error('socket hang up');
    assert.equal(toActivityFailure(plain), plain);
  });
});

describe('activities', () => {
  const published: TicketEvent[][] = [];
  const publisher: EventPublisher = {
    async publishEvents(batch) {
      published.push([...batch]);
    },
    async publishAlert() {},
    async close() {},
  };
  const { intelligence } = createScriptedIntelligence(new Map());
  const acts = createActivities({ intelligence, publisher, tokenBatchSize: 4 });
  const ctx = { ticketId: 't-act', userId: 'u', orgId: 'o' };

  test('empty ticket text is bad input, not retried', async () => {
    await assert.rejects(
      acts.triageTicket(ctx, '   '),
      (err: unknown) =>
        err instanceof ApplicationFailure && err.nonRetryable && err.type === 'TicketflowError:bad_input',
    );
  });

  test('drafting streams tokens in batches with the reserved seq and consecutive parts', async () => {
    const analysis = {
      intent: 'x',
      urgency: 'low' as const,
      tone: 'neutral' as const,
      topic: 'Billing' as const,
      topics: [],
      is_sensitive: false,
    };
    const draft = await acts.draftReply({
      seq: 42,
      input: { ctx, analysis, redactedText: 'hi', findings: [], version: 3 },
    });
    assert.equal(draft.version, 3);
    const tokens = published.flat();
    assert.ok(
      published.every((b) => b.length <= 4),
      'batched',
    );
    assert.ok(tokens.every((t) => t.seq === 42 && t.type === 'token' && t.ticketId === 't-act'));
    assert.deepEqual(
      tokens.map((t) => t.part),
      tokens.map((_, i) => i),
    );
    assert.equal(tokens.map((t) => t.data.text).join(''), draft.text);
    for (const t of tokens) ticketEventSchema.parse(t);
  });

  /** A broker that acks each produce a little later, noting the batches and whether two were ever in flight. */
  function slowBroker(failAt?: number) {
    const batches: TicketEvent[][] = [];
    let inFlight = 0;
    let overlapped = false;
    const slow: EventPublisher = {
      async publishEvents(batch) {
        batches.push([...batch]);
        overlapped ||= inFlight > 0;
        inFlight++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        if (batches.length === failAt) throw new Error('broker down');
      },
      async publishAlert() {},
      async close() {},
    };
    return { slow, batches, overlapped: () => overlapped };
  }
  const draftInput: DraftInput = {
    ctx,
    analysis: { intent: 'x', urgency: 'low', tone: 'neutral', topic: 'Billing', topics: [], is_sensitive: false },
    redactedText: 'hi',
    findings: [],
    version: 1,
  };

  test('a draft written at once goes out in two produces, one at a time, in order (issue 9)', async () => {
    const broker = slowBroker();
    // As the rules model writes: the whole reply at once, a word a token.
    const text = 'Thank you for writing. We looked at your account and found the cause of the failure. '.repeat(4);
    const drafter: Intelligence['drafter'] = {
      async draft(input, onToken) {
        for (const word of wordChunks(text)) await onToken(word);
        return { version: input.version, text, model: 'rules' };
      },
    };
    const fast = createActivities({ intelligence: { ...intelligence, drafter }, publisher: broker.slow });
    const draft = await fast.draftReply({ seq: 7, input: draftInput });
    const tokens = broker.batches.flat();
    assert.ok(tokens.length > 16, `a reply of ${tokens.length} tokens`);
    // The first token leaves at once; everything written while it travelled goes in the next produce.
    assert.equal(broker.batches.length, 2, `produces: ${broker.batches.map((b) => b.length).join(', ')}`);
    assert.equal(broker.overlapped(), false);
    assert.deepEqual(
      tokens.map((t) => t.part),
      tokens.map((_, i) => i),
    );
    assert.equal(tokens.map((t) => t.data.text).join(''), draft.text);
  });

  test('a failed produce fails the draft (its retry sends the same parts again)', async () => {
    const broker = slowBroker(1);
    const failing = createActivities({ intelligence, publisher: broker.slow });
    await assert.rejects(failing.draftReply({ seq: 7, input: draftInput }), /broker down/);
  });
});
