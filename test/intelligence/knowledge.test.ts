import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createKnowledgeBase } from '../../activities/knowledge';
import { loadConfig } from '../../core/config';

const sopsDir = path.join(__dirname, '..', '..', 'sops');
const floor = loadConfig({}).knowledge.scoreFloor;

describe('SOP knowledge base (MiniSearch BM25 with a score floor)', () => {
  it('every library SOP parses, with the required coverage', () => {
    const kb = createKnowledgeBase({ sopsDir, scoreFloor: floor });
    const ids = kb.all().map((s) => s.id);
    for (const id of [
      'as-2fa-lockout',
      'as-account-takeover',
      'as-exposed-token',
      'billing-refund',
      'billing-spending-limit',
      'billing-duplicate-charge',
    ])
      assert.ok(ids.includes(id), id);
    for (const topic of ['Enterprise', 'DevSupport', 'Workers', 'ShotGun', 'Discourse'])
      assert.ok(
        kb.all().some((s) => s.topic === topic),
        topic,
      );
    assert.deepEqual(kb.all().find((s) => s.id === 'billing-refund')!.allowedTools, ['verify_transaction', 'refund']);
  });

  it('finds the right SOP for typical tickets', async () => {
    const kb = createKnowledgeBase({ sopsDir, scoreFloor: floor });
    const cases: [Parameters<typeof kb.findSop>[0], string, string][] = [
      ['A&S', 'Lost my phone, two-factor codes gone, locked out', 'as-2fa-lockout'],
      ['A&S', 'someone hacked my account and added an ssh key', 'as-account-takeover'],
      ['A&S', 'I committed my personal access token to a public repo', 'as-exposed-token'],
      ['Billing', 'please refund my yearly plan, transaction txn_50001', 'billing-refund'],
      ['Billing', 'I was charged twice this month', 'billing-duplicate-charge'],
      ['Billing', 'raise the spending limit for Actions minutes', 'billing-spending-limit'],
      ['Workers', 'self-hosted runner jobs stuck in queued', 'workers-runners'],
    ];
    for (const [topic, text, id] of cases) assert.equal((await kb.findSop(topic, text))?.id, id, text);
  });

  it('below the floor there is no SOP (off-topic text, or a topic with no matching SOP)', async () => {
    const kb = createKnowledgeBase({ sopsDir, scoreFloor: floor });
    assert.equal(await kb.findSop('Billing', 'my printer is out of ink'), null);
    assert.equal(await kb.findSop('A&S', 'what is the weather in Paris tomorrow'), null);
    assert.equal(await kb.findSop('unknown', 'refund my plan'), null);
  });
});
