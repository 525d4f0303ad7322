/**
 * What an action sends the workflow: every free text a person writes that only the desk reads (reject,
 * override, escalate and close reasons, release and proposal notes) is redacted like a customer's message, since
 * it lands in the workflow's history and on Kafka in full. And a text whose redacted form no longer fits its
 * limit is refused here with a reason that says so (the workflow's validator said "at most 10,000
 * characters" of a 9,996-character message).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createTicketActions, type SendUpdate } from '../../client/actions';
import { TicketflowError } from '../../core/errors';
import { closeDetectionPool } from '../../core/pii/pool';
import { limits } from '../../core/limits';

const CARD = '4111 1111 1111 1111';
const EMAIL = 'victim.person@example.org';
const TOKEN = `ghp_${'Zx9'.repeat(12)}`;
const leaky = `customer wrote card ${CARD}, mail ${EMAIL}, token ${TOKEN}`;

/** The actions over a fake transport that keeps what would have gone to the workflow. */
function capture() {
  const sent: unknown[] = [];
  const send: SendUpdate = (_ticketId, _def, arg) => {
    sent.push(arg);
    return Promise.resolve({ accepted: true, ticketId: 't-1', status: 'drafting', lastSeq: 1 } as never);
  };
  return { actions: createTicketActions(send), sent };
}

function assertClean(value: unknown): void {
  const text = JSON.stringify(value);
  for (const raw of [CARD, EMAIL, TOKEN]) assert.ok(!text.includes(raw), `${raw} reached the workflow: ${text}`);
}

void describe('action redaction', () => {
  after(() => closeDetectionPool());

  void test("an agent's reasons, notes and own reply reach the workflow redacted", async () => {
    const { actions, sent } = capture();
    await actions.review('t-1', { action: 'reject', draftVersion: 1, reason: leaky, reviewer: 'a' });
    await actions.review('t-1', {
      action: 'edit',
      draftVersion: 1,
      text: `Hello, ${leaky}`,
      overrideReason: leaky,
      reviewer: 'a',
    });
    await actions.release('t-1', { note: leaky, reviewer: 'a' });
    await actions.decideProposal('t-1', { proposalId: 'p-1', decision: 'decline', note: leaky, by: 'a' });
    await actions.escalate('t-1', { reason: leaky, by: 'a' });
    await actions.close('t-1', { reason: leaky, by: 'a' });
    assert.equal(sent.length, 6);
    for (const arg of sent) assertClean(arg);
    // What is not an address or a secret is kept, so the note still says something.
    assert.match(JSON.stringify(sent[0]), /customer wrote card/);
  });

  void test('optional notes left out stay out; an approve is sent as it came', async () => {
    const { actions, sent } = capture();
    await actions.release('t-1', { reviewer: 'a' });
    await actions.review('t-1', { action: 'approve', draftVersion: 2, reviewer: 'a' });
    assert.equal((sent[0] as { note?: string }).note, undefined);
    assert.deepEqual(sent[1], { action: 'approve', draftVersion: 2, reviewer: 'a' });
  });

  void test('a message under its limit that redaction lengthens past it is refused with that reason', async () => {
    const { actions, sent } = capture();
    const unit = 'a@b.co ';
    const text = unit.repeat(Math.floor(limits.messageText / unit.length)).trim();
    assert.ok(text.length <= limits.messageText);
    await assert.rejects(
      actions.addMessage('t-1', { text }),
      (err: unknown) =>
        err instanceof TicketflowError &&
        err.code === 'bad_input' &&
        /once personal data is redacted/.test(err.message) &&
        !err.message.includes('a@b.co'),
    );
    assert.equal(sent.length, 0, 'nothing sent to the workflow');
  });
});
