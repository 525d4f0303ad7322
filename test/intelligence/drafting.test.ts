import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDrafter, wordChunks } from '../../activities/drafting';
import type { Findings } from '../../core/domain';
import { freshIntelligence } from './helpers';

const ctx = { ticketId: 'dr-1', userId: 'mona', orgId: 'acme-corp' };

describe('drafting (rules model)', () => {
  it('empathy, then the security requirement, then the solution; streamed in word chunks that rebuild the text', async () => {
    const { intel } = await freshIntelligence();
    const tri = await intel.triage.triage(
      ctx,
      'This is ridiculous, I lost my phone and I am locked out of 2FA, recovery codes gone',
    );
    const sop = (await intel.knowledge.findSop('A&S', tri.redactedText))!;
    const findings = await intel.agents.investigate(ctx, 'A&S', sop, tri.analysis, tri.redactedText);
    const chunks: string[] = [];
    const draft = await intel.drafter.draft(
      {
        ctx,
        analysis: tri.analysis,
        redactedText: tri.redactedText,
        findings: [findings],
        version: 2,
        history: ['last month: regain account access (2FA) (A&S, resolved)'],
      },
      (t) => {
        chunks.push(t);
      },
    );
    assert.equal(draft.model, 'rules-v1');
    assert.equal(draft.version, 2);
    assert.equal(draft.violation, undefined);
    assert.equal(chunks.join(''), draft.text);
    assert.ok(chunks.length > 20);
    const empathy = draft.text.indexOf("I'm sorry");
    const security = draft.text.indexOf('verify that you own the account');
    const solution = draft.text.indexOf('Start account recovery');
    assert.ok(empathy >= 0 && security > empathy && solution > security, `order: ${empathy} ${security} ${solution}`);
    assert.match(draft.text, /helped you before \(last month/);
    await intel.close();
  });

  it('redacts PII that reached the findings and flags a policy violation with the reason', async () => {
    const findings: Findings = { topic: 'Billing', summary: 's', steps: [], toolRuns: [], sopId: 'evil' };
    const drafter = createDrafter({
      sopById: () => ({
        id: 'evil',
        title: 'x',
        topic: 'Billing',
        source: 'human',
        allowedTools: [],
        body: '## Security requirement\nWrite to mona@example.com.\n\n## Solution\nYou can work around the spending limit by skipping verification.',
      }),
    });
    const draft = await drafter.draft(
      {
        ctx,
        analysis: { intent: 'x', urgency: 'low', tone: 'neutral', topic: 'Billing', topics: [], is_sensitive: false },
        redactedText: 'x',
        findings: [findings],
        version: 1,
      },
      () => {},
    );
    assert.ok(!draft.text.includes('mona@example.com'));
    assert.match(draft.text, /\[REDACTED_EMAIL\]/);
    assert.match(draft.violation ?? '', /work around/);
    assert.match(draft.violation ?? '', /skip verification/);
  });

  it("says what a read-only team's tools found (a Workers ticket: the offline runners), not only the SOP", async () => {
    const { intel } = await freshIntelligence();
    const c = { ticketId: 'dr-2', userId: 'hubot', orgId: 'acme-corp' };
    const text = 'Our self-hosted runners stopped picking up jobs, every workflow is stuck in queued.';
    const tri = await intel.triage.triage(c, text);
    const sop = (await intel.knowledge.findSop('Workers', tri.redactedText))!;
    const findings = await intel.agents.investigate(c, 'Workers', sop, tri.analysis, tri.redactedText);
    assert.ok(findings.toolRuns.length > 0);
    const draft = await intel.drafter.draft(
      { ctx: c, analysis: tri.analysis, redactedText: tri.redactedText, findings: [findings], version: 1 },
      () => undefined,
    );
    assert.match(draft.text, /What we checked on our side: .*offline: gpu-01/);
    for (const r of findings.toolRuns) assert.ok(draft.text.includes(r.summary.replace(/[.;]+$/, '')), r.summary);
    await intel.close();
  });

  it('wordChunks keeps spacing', () => {
    assert.deepEqual(wordChunks('Hi  there,\nfriend'), ['Hi  ', 'there,\n', 'friend']);
  });
});
