import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActivities } from '../../activities';
import type { EventPublisher } from '../../activities/events';
import { createScriptedIntelligence } from '../workflow/helpers/scripted-intelligence';

const publisher: EventPublisher = { async publishEvents() {}, async publishAlert() {}, async close() {} };
const ctx = { ticketId: 'ar-1', userId: 'mona', orgId: 'acme-corp' };

// Issue 11, finding 5: a reply written or edited by an agent was stored and sent with no redaction and no
// guardrail. The activity the workflow calls on an agent's text redacts it and checks it like a draft.
describe("agents' own words get the same care", () => {
  const acts = createActivities({ intelligence: createScriptedIntelligence(new Map()).intelligence, publisher });

  it('a hand-written reply is redacted, and one that gets around a control or claims an undone action is refused with the reason', async () => {
    const bad = await acts.checkReply(
      ctx,
      'Just switch off MFA for now. Your token ghp_9Xk2LmQ7vR4tY8wZ1aB3cD5eF6gH0iJ2kL4m still works. Mail mona@example.com.',
      [],
    );
    assert.ok(!bad.text.includes('ghp_9Xk2') && !bad.text.includes('mona@example.com'), bad.text);
    assert.match(bad.violation ?? '', /disable security/);

    const claims = await acts.checkReply(ctx, 'We have revoked the exposed credential.', []);
    assert.match(claims.violation ?? '', /claims an action that did not happen: revoke/);
    const revoked = {
      tool: 'revoke_tokens',
      ok: true,
      summary: 'Revoked 1 credential(s)',
      output: { revoked: [{ masked: 'ghp_****L4m', status: 'revoked' }] },
    };
    assert.equal(
      (await acts.checkReply(ctx, 'We have revoked the exposed credential.', [revoked])).violation,
      undefined,
    );
    assert.equal(
      (await acts.checkReply(ctx, 'Please sign in again with your recovery codes.', [])).violation,
      undefined,
    );
  });
});
