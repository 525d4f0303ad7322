/** The activity wrappers: failure mapping for Temporal, and token streaming with the reserved seq. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { createActivities, toActivityFailure } from '../../activities';
import type { EventPublisher } from '../../activities/events';
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
});
