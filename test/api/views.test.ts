/** Pure parts of the API and UI: what a customer may see, and how stream frames are read. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customerView } from '../../gateway/api/views';
import { eventsInFrame } from '../../ui/src/shared/stream';
import { stepFor } from '../../ui/src/customer/progress';
import { initialState } from '../../workflows/state';

const at = '2026-01-01T00:00:00.000Z';

test('the customer view keeps progress, the sent reply and the conversation, nothing internal', () => {
  const state = initialState({ ticketId: 't-1', text: 'x', userId: 'mona', orgId: 'acme', channel: 'web' }, at);
  state.status = 'resolved';
  state.redactedText = 'charged twice, mail [REDACTED_EMAIL]';
  state.brief = { summary: 'secret brief', actionsTaken: [], recommendations: [] };
  state.draft = { version: 2, text: 'unreviewed draft', model: 'm' };
  state.reply = { text: 'approved reply', draftVersion: 2, by: 'agent-ann', at };
  state.messages = [
    { from: 'customer', text: 'any news?', at },
    { from: 'system', text: 'internal note', at },
  ];
  state.awaiting = 'feedback';
  state.events = [
    {
      v: 1,
      ticketId: 't-1',
      seq: 1,
      type: 'status',
      at,
      data: { status: 'triaging', queue: 'none', topic: 'Billing' },
    },
    { v: 1, ticketId: 't-1', seq: 2, type: 'tool', at, data: { tool: 'refund', output: { card: '4242' } } },
    { v: 1, ticketId: 't-1', seq: 3, type: 'draft', at, data: { version: 1, text: 'unreviewed' } },
    {
      v: 1,
      ticketId: 't-1',
      seq: 4,
      type: 'message',
      at,
      data: { from: 'system', kind: 'rejected', reason: 'too vague', text: 'draft 1 rejected' },
    },
    {
      v: 1,
      ticketId: 't-1',
      seq: 5,
      type: 'message',
      at,
      data: { from: 'agent', text: 'approved reply', by: 'agent-ann' },
    },
    { v: 1, ticketId: 't-1', seq: 6, type: 'resolved', at, data: { by: 'agent-ann' } },
  ];
  const view = customerView(state);
  const json = JSON.stringify(view);
  for (const leak of [
    'secret brief',
    'unreviewed',
    'internal note',
    '4242',
    'agent-ann',
    'mona',
    'too vague',
    'rejected',
  ])
    assert.ok(!json.includes(leak), `${leak} leaked`);
  assert.deepEqual(view.reply, { text: 'approved reply', at });
  assert.deepEqual(view.messages, [{ from: 'customer', text: 'any news?', at }]);
  assert.equal(view.awaiting, 'feedback');
  assert.deepEqual(
    view.events.map((e) => [e.seq, e.type, e.data]),
    [
      [1, 'status', { status: 'triaging' }],
      [5, 'message', { text: 'approved reply', from: 'agent' }],
      [6, 'resolved', {}],
    ],
  );
});

test('stream frames: snapshot and event wrappers both yield envelopes; noise yields nothing', () => {
  const e = (seq: number) => ({ v: 1, ticketId: 't', seq, type: 'status', at, data: {} });
  assert.deepEqual(
    eventsInFrame({ kind: 'snapshot', ticketId: 't', lastSeq: 2, events: [e(1), e(2)] }).map((x) => x.seq),
    [1, 2],
  );
  assert.deepEqual(
    eventsInFrame({ kind: 'event', event: e(3) }).map((x) => x.seq),
    [3],
  );
  assert.deepEqual(eventsInFrame({ kind: 'pong', at }), []);
  assert.deepEqual(eventsInFrame('hello'), []);
});

test('customer progress steps', () => {
  assert.equal(stepFor('triaging'), 'received');
  assert.equal(stepFor('awaiting_sop'), 'investigating');
  assert.equal(stepFor('awaiting_review'), 'review');
  assert.equal(stepFor('verifying'), 'answered');
});
