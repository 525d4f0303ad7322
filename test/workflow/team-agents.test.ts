/**
 * Every team's ticket reaches a draft through its own agent, on the dev server with the real parts:
 * createIntelligence (rules model, the SQLite tool store, SOPs from sops/) and the real Kafka publisher.
 * None of these goes to "human live": only a topic no team owns does.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Topic } from '../../core/domain';
import { waitForState } from './helpers/harness';
import { realWorkerParts } from './helpers/real-parts';

const parts = realWorkerParts('teams');

/** One ticket per team, from a seeded user of a seeded org, with the tool each agent must have run. */
const cases: { topic: Topic; userId: string; orgId: string; text: string; tool: string; finding: RegExp }[] = [
  {
    topic: 'A&S',
    userId: 'demo-user',
    orgId: 'acme-corp',
    text: 'I lost my phone and cannot get past the two-factor prompt, recovery codes are gone too.',
    tool: 'audit_events',
    finding: /Recent security events: login/,
  },
  {
    topic: 'Billing',
    userId: 'octo-dev',
    orgId: 'initech',
    text: 'How do I raise the spending limit for Actions minutes on our org? Builds are queued.',
    tool: 'spending_limit',
    finding: /spending limit 200\.00 USD, spent 50\.00 USD/,
  },
  {
    topic: 'Enterprise',
    userId: 'mona',
    orgId: 'acme-corp',
    text: "Our SAML SSO with Okta gives 'invalid signature' when people sign in since this morning.",
    tool: 'sso_config_check',
    finding: /IdP certificate expired/,
  },
  {
    topic: 'DevSupport',
    userId: 'mona',
    orgId: 'acme-corp',
    text: 'Webhook deliveries to our endpoint time out since yesterday, e.g. dlv_70004. Redelivery fails too.',
    tool: 'webhook_delivery_log',
    finding: /dlv_70004: timed out after 10 s/,
  },
  {
    topic: 'Workers',
    userId: 'hubot',
    orgId: 'acme-corp',
    text: 'Our self-hosted runners stopped picking up jobs, every workflow is stuck in queued.',
    tool: 'queued_jobs',
    finding: /no online runner carrying their labels: train-model/,
  },
  {
    topic: 'ShotGun',
    userId: 'demo-user',
    orgId: 'acme-corp',
    text: "ShotGun shows 'no license assigned' in JetBrains though our company bought seats.",
    tool: 'seat_lookup',
    finding: /demo-user has no ShotGun seat in acme-corp/,
  },
  {
    topic: 'Discourse',
    userId: 'demo-user',
    orgId: 'acme-corp',
    text: 'My post on the community forum was marked as spam and hidden. Can a moderator restore it?',
    tool: 'moderation_queue',
    finding: /held or hidden: post "Runner keeps going offline"/,
  },
];

test('a ticket of each of the seven teams reaches a draft through its agent, none in human live; an unknown topic goes live', async () => {
  const { worker, tickets } = await parts.start();
  await worker.runUntil(async () => {
    const created = await Promise.all(
      cases.map((c) => tickets.createTicket({ text: c.text, userId: c.userId, orgId: c.orgId, channel: 'web' })),
    );
    // What no team owns still goes to a person, live.
    const stray = await tickets.createTicket({
      text: 'What is the best pizza place near your office?',
      userId: 'mona',
      orgId: 'acme-corp',
      channel: 'web',
    });
    for (const [i, c] of cases.entries()) {
      const id = created[i]!.ticketId;
      const s = await waitForState(
        () => tickets.getState(id),
        (x) => x.awaiting !== null,
        `${c.topic}: a person is needed`,
        40_000,
      );
      assert.equal(s.analysis?.topic, c.topic, `${c.topic}: triage`);
      assert.equal(s.routing?.humanLive, false, `${c.topic}: not human live`);
      assert.equal(
        s.awaiting,
        'review',
        `${c.topic}: a draft to review (got ${s.status}/${s.queue}: ${s.awaitingReason})`,
      );
      assert.notEqual(s.queue, 'human_live', c.topic);
      assert.ok(s.draft && s.draft.version === 1 && !s.draft.violation, `${c.topic}: a clean first draft`);
      const findings = s.findings.find((f) => f.topic === c.topic);
      assert.ok(findings, `${c.topic}: its agent's findings`);
      assert.ok(
        s.sops.some((x) => x.topic === c.topic && x.sopId === findings.sopId && x.source === 'library'),
        `${c.topic}: a library SOP`,
      );
      assert.ok(
        findings.toolRuns.some((r) => r.tool === c.tool && r.ok),
        `${c.topic}: ${c.tool} ran (${findings.toolRuns.map((r) => r.tool).join(',')})`,
      );
      assert.match(findings.summary, c.finding, c.topic);
      assert.ok(
        s.events.some((e) => e.type === 'tool' && e.data.tool === `agent:${c.topic}`),
        `${c.topic}: the agent's tool event`,
      );
      await tickets.close(id, { by: 'test', reason: 'test done' });
    }
    const live = await waitForState(
      () => tickets.getState(stray.ticketId),
      (x) => x.awaiting !== null,
      'unknown: a person is needed',
      40_000,
    );
    assert.equal(live.analysis?.topic, 'unknown');
    assert.equal(live.routing?.humanLive, true);
    assert.equal(live.queue, 'human_live');
    assert.deepEqual(live.findings, []);
    await tickets.close(stray.ticketId, { by: 'test', reason: 'test done' });
  });
});
