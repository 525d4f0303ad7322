import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createKnowledgeBase } from '../../activities/knowledge';
import { loadConfig } from '../../core/config';
import { tempDir } from './helpers';

const sopsDir = path.join(__dirname, '..', '..', 'sops');
const floor = loadConfig({} as NodeJS.ProcessEnv).knowledge.scoreFloor;

describe('SOP knowledge base (MiniSearch BM25 with a score floor)', () => {
  it('every library SOP parses, with the required coverage', () => {
    const kb = createKnowledgeBase({ sopsDir, humanDir: tempDir(), scoreFloor: floor });
    const ids = kb.all().map((s) => s.id);
    for (const id of ['as-2fa-lockout', 'as-account-takeover', 'as-exposed-token', 'billing-refund', 'billing-spending-limit', 'billing-duplicate-charge']) assert.ok(ids.includes(id), id);
    for (const topic of ['Enterprise', 'DevSupport', 'Workers', 'ShotGun', 'Discourse']) assert.ok(kb.all().some((s) => s.topic === topic), topic);
    assert.deepEqual(kb.all().find((s) => s.id === 'billing-refund')!.allowedTools, ['verify_transaction', 'refund']);
  });

  it('finds the right SOP for typical tickets', async () => {
    const kb = createKnowledgeBase({ sopsDir, humanDir: tempDir(), scoreFloor: floor });
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
    const kb = createKnowledgeBase({ sopsDir, humanDir: tempDir(), scoreFloor: floor });
    assert.equal(await kb.findSop('Billing', 'my printer is out of ink'), null);
    assert.equal(await kb.findSop('A&S', 'what is the weather in Paris tomorrow'), null);
    assert.equal(await kb.findSop('unknown', 'refund my plan'), null);
  });

  it('not found -> a human provides an SOP -> found next time (and after a restart), stored in the data dir', async () => {
    const humanDir = path.join(tempDir(), 'sops-human');
    const kb = createKnowledgeBase({ sopsDir, humanDir, scoreFloor: floor });
    const ticket = 'Our Pages site custom domain certificate is not renewing, HTTPS shows an expired certificate';
    assert.equal(await kb.findSop('DevSupport', ticket), null);
    const saved = await kb.saveSop('DevSupport', 'Pages custom domain certificate renewal', '## Steps\n1. Check the DNS records of the custom domain.\n2. Remove and re-add the domain to trigger certificate renewal.\n', 'agent-ana');
    assert.equal(saved.source, 'human');
    assert.equal((await kb.findSop('DevSupport', ticket))?.id, saved.id);
    assert.ok(fs.existsSync(path.join(humanDir, `${saved.id}.md`)));
    assert.ok(!fs.readdirSync(sopsDir).some((f) => f.startsWith('human-')), 'human SOPs must not be written into the repository');
    const reopened = createKnowledgeBase({ sopsDir, humanDir, scoreFloor: floor });
    assert.equal((await reopened.findSop('DevSupport', ticket))?.id, saved.id);
  });
});
