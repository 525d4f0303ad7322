/**
 * The five newer teams' agents on the real tool store (SQLite in a fresh data dir): each follows the SOP
 * retrieval picks, runs only the tools that SOP allows, reads only the ticket's own user and org, changes
 * nothing, and reports only what its tools returned.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AGENT_TOPICS } from '../../activities/agents';
import type { Findings, QueryAnalysis, Sop, Topic } from '../../core/domain';
import { routeTicket } from '../../workflows/routing';
import type { Intelligence, TicketContext } from '../../activities/ports';
import { freshIntelligence } from './helpers';

const ctxOf = (userId: string, orgId: string, ticketId = 'team-1'): TicketContext => ({ ticketId, userId, orgId });

async function run(
  intel: Intelligence,
  ctx: TicketContext,
  topic: Topic,
  text: string,
): Promise<{ sop: Sop; f: Findings }> {
  const tri = await intel.triage.triage(ctx, text);
  const sop = await intel.knowledge.findSop(topic, tri.redactedText);
  assert.ok(sop, `an SOP for ${topic}: ${text}`);
  const f = await intel.agents.investigate(ctx, topic, sop, tri.analysis, tri.redactedText);
  // Least privilege: only the SOP's tools ran, and the summary is the SOP line plus exactly what they returned.
  assert.ok(
    f.toolRuns.every((r) => sop.allowedTools.includes(r.tool)),
    `${f.toolRuns.map((r) => r.tool).join(',')} within ${sop.allowedTools.join(',')}`,
  );
  assert.equal(f.summary, [`Followed SOP "${sop.title}".`, ...f.toolRuns.map((r) => `${r.summary}.`)].join(' '));
  return { sop, f };
}

const out = <T>(f: Findings, tool: string): T => {
  const r = f.toolRuns.find((x) => x.tool === tool);
  assert.ok(r, `${tool} ran (ran: ${f.toolRuns.map((x) => x.tool).join(',')})`);
  return r.output as T;
};

describe('team agents on the tool store', () => {
  it('with every team registered, only the tickets no team owns route to human live (labelled fixtures)', () => {
    const dir = path.join(__dirname, '..', 'fixtures');
    const rows = ['tickets.jsonl', 'tickets-holdout.jsonl'].flatMap((f) =>
      fs
        .readFileSync(path.join(dir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { id: string; topic: Topic; topics?: Topic[] }),
    );
    const none = { risk_category: 'none' as const, confidence_score: 0, extracted_entities: [] };
    const live = rows.filter((r) => {
      const analysis: QueryAnalysis = {
        intent: 'x',
        urgency: 'medium',
        tone: 'neutral',
        topic: r.topic,
        topics: r.topics ?? [],
        is_sensitive: false,
      };
      return routeTicket(analysis, none, AGENT_TOPICS).humanLive;
    });
    assert.deepEqual(
      live.map((r) => r.id),
      rows.filter((r) => r.topic === 'unknown').map((r) => r.id),
    );
    assert.ok(rows.length - live.length > 80, 'the rest of a mixed load reaches an agent');
  });

  it('Enterprise: SSO check finds the expired IdP certificate; a failed SCIM deprovisioning goes to a person; appliance status', async () => {
    const { intel } = await freshIntelligence();
    const sso = await run(
      intel,
      ctxOf('mona', 'acme-corp'),
      'Enterprise',
      "Our SAML SSO with Okta fails for everyone with 'invalid signature' since this morning.",
    );
    assert.equal(sso.sop.id, 'enterprise-saml-sso');
    assert.equal(out<{ certificateExpired: boolean }>(sso.f, 'sso_config_check').certificateExpired, true);
    assert.match(sso.f.summary, /IdP certificate expired 2 day\(s\) ago/);
    assert.equal(sso.f.needsHuman, undefined);

    const scim = await run(
      intel,
      ctxOf('mona', 'acme-corp'),
      'Enterprise',
      'SCIM deprovisioning is not removing people who left the company from our org.',
    );
    assert.equal(scim.sop.id, 'enterprise-scim-provisioning');
    assert.deepEqual(out<{ failedDeprovisions: string[] }>(scim.f, 'scim_provisioning_log').failedDeprovisions, [
      'leaver-bob',
    ]);
    assert.match(scim.f.needsHuman ?? '', /may still have access/);

    const ghes = await run(
      intel,
      ctxOf('octo-dev', 'initech'),
      'Enterprise',
      'The GHES appliance upgrade failed and maintenance mode is stuck.',
    );
    assert.equal(ghes.sop.id, 'enterprise-appliance');
    assert.deepEqual(
      (({ version, upgradeAvailable, health }) => ({ version, upgradeAvailable, health }))(
        out<{ version: string; upgradeAvailable: boolean; health: string }>(ghes.f, 'appliance_status'),
      ),
      { version: '3.11.2', upgradeAvailable: true, health: 'degraded' },
    );
    await intel.close();
  });

  it("DevSupport: the delivery log reads only the ticket org's deliveries; rate limit and push log are the user's own", async () => {
    const { intel } = await freshIntelligence();
    const hooks = await run(
      intel,
      ctxOf('mona', 'acme-corp'),
      'DevSupport',
      'Webhook deliveries time out since yesterday, see dlv_70004 and dlv_80001. Redelivery fails too.',
    );
    assert.equal(hooks.sop.id, 'devsupport-webhooks');
    const log = out<{ deliveries: { id: string; failed: boolean }[]; named: { id: string; found: boolean }[] }>(
      hooks.f,
      'webhook_delivery_log',
    );
    assert.deepEqual(
      log.named,
      [
        { id: 'dlv_70004', found: true, failed: true },
        { id: 'dlv_80001', found: false },
      ],
      "initech's delivery is not acme-corp's to read",
    );
    assert.deepEqual(
      log.deliveries.filter((d) => d.failed).map((d) => d.id),
      ['dlv_70004', 'dlv_70003', 'dlv_70002'],
    );
    assert.ok(!JSON.stringify(hooks.f).includes('deploy-bot'), 'nothing of another org');

    const api = await run(
      intel,
      ctxOf('mona', 'acme-corp'),
      'DevSupport',
      "The REST API returns 403 'secondary rate limit' when we create issues in bulk.",
    );
    assert.equal(api.sop.id, 'devsupport-api-rate-limits');
    assert.match(api.f.summary, /0 of 5000 requests left this hour.*a secondary rate limit applies/);

    const git = await run(
      intel,
      ctxOf('mona', 'acme-corp'),
      'DevSupport',
      "git push is rejected: 'file is too large', and main says protected branch.",
    );
    assert.equal(git.sop.id, 'devsupport-git-operations');
    assert.equal(out<{ rejections: unknown[] }>(git.f, 'git_push_log').rejections.length, 2);
    await intel.close();
  });

  it('Workers: offline and outdated runners, jobs no online runner can take, minutes used up', async () => {
    const { intel } = await freshIntelligence();
    const runners = await run(
      intel,
      ctxOf('hubot', 'acme-corp'),
      'Workers',
      'Our self-hosted runners stopped picking up jobs, every workflow is stuck in queued.',
    );
    assert.equal(runners.sop.id, 'workers-runners');
    assert.deepEqual(
      runners.f.toolRuns.map((r) => r.tool),
      ['runner_status', 'queued_jobs'],
    );
    assert.match(runners.f.summary, /offline: gpu-01 \(last seen 3 day\(s\) ago\), mac-01/);
    assert.match(runners.f.summary, /below the minimum version 2\.319\.0: gpu-01 2\.311\.0/);
    const jobs = out<{ jobs: { workflow: string; matchingOnlineRunner: boolean }[] }>(runners.f, 'queued_jobs').jobs;
    assert.deepEqual(
      jobs.filter((j) => !j.matchingOnlineRunner).map((j) => j.workflow),
      ['train-model', 'ios-build'],
    );

    const minutes = await run(
      intel,
      ctxOf('hubot', 'acme-corp'),
      'Workers',
      'We ran out of included Actions minutes this month, how many minutes did we use?',
    );
    assert.equal(minutes.sop.id, 'workers-actions-minutes');
    assert.equal(out<{ exhausted: boolean }>(minutes.f, 'minutes_usage').exhausted, true);

    const cache = await run(
      intel,
      ctxOf('hubot', 'acme-corp'),
      'Workers',
      'My actions cache keeps getting evicted, builds take 20 minutes instead of 4.',
    );
    assert.equal(cache.sop.id, 'workers-workflow-files');
    assert.match(cache.f.summary, /acme-corp\/api uses 10110 of 10240 MB, 142 entries evicted in 7 days/);
    assert.doesNotMatch(cache.f.summary, /acme-corp\/web/);
    await intel.close();
  });

  it('ShotGun: the seat of this user in this org only; outdated IDE plugins; org policies', async () => {
    const { intel } = await freshIntelligence();
    const seat = await run(
      intel,
      ctxOf('demo-user', 'acme-corp'),
      'ShotGun',
      "ShotGun says 'no license assigned' in JetBrains though we bought seats.",
    );
    assert.equal(seat.sop.id, 'shotgun-seats-licenses');
    assert.match(seat.f.summary, /demo-user has no ShotGun seat in acme-corp; 2 of 10 seats assigned/);
    // octo-dev has a seat, but in initech: asking from acme-corp must not find it.
    const other = await run(
      intel,
      ctxOf('octo-dev', 'acme-corp'),
      'ShotGun',
      "ShotGun says 'no license assigned' in JetBrains though we bought seats.",
    );
    assert.equal(out<{ seat: boolean }>(other.f, 'seat_lookup').seat, false);

    const plugin = await run(
      intel,
      ctxOf('octo-dev', 'initech'),
      'ShotGun',
      'ShotGun suggestions stopped showing in IntelliJ after the extension update.',
    );
    assert.equal(plugin.sop.id, 'shotgun-ide-plugins');
    assert.match(plugin.f.summary, /jetbrains 1\.2\.0 \(below the oldest supported 1\.5\.0: update needed\)/);

    const policy = await run(
      intel,
      ctxOf('mona', 'acme-corp'),
      'ShotGun',
      "ShotGun chat keeps returning 'content excluded by policy' for files not in our exclusion list.",
    );
    assert.equal(policy.sop.id, 'shotgun-policies-proxy');
    assert.equal(out<{ contentExclusions: number }>(policy.f, 'shotgun_policy').contentExclusions, 3);
    await intel.close();
  });

  it('Discourse: held posts of this user, docs pages by their exact path, the community profile', async () => {
    const { intel } = await freshIntelligence();
    const mod = await run(
      intel,
      ctxOf('demo-user', 'acme-corp'),
      'Discourse',
      'My post on the community forum was marked as spam and hidden, can a moderator restore it?',
    );
    assert.equal(mod.sop.id, 'discourse-moderation');
    assert.match(mod.f.summary, /1 post\(s\) by demo-user held or hidden: post "Runner keeps going offline" held/);

    const docs = await run(
      intel,
      ctxOf('demo-user', 'acme-corp'),
      'Discourse',
      'Broken link in the docs: https://docs.githouse.com/en/authentication/securing-your-account/recovery-codes/. Also https://docs.githouse.com/en/actions is wrong.',
    );
    assert.equal(docs.sop.id, 'discourse-docs-feedback');
    const pages = out<{ pages: { path: string; found: boolean; status?: string }[] }>(docs.f, 'docs_page_status').pages;
    assert.deepEqual(
      pages.map((p) => [p.path, p.found, p.status]),
      [
        ['/en/authentication/securing-your-account/recovery-codes', true, 'broken_link_reported'],
        // A prefix of /en/actions/hosting-your-own-runners: an exact lookup does not match it.
        ['/en/actions', false, undefined],
      ],
    );

    const stars = await run(
      intel,
      ctxOf('octo-dev', 'initech'),
      'Discourse',
      'How do I become a GitHouse Star, what are the requirements?',
    );
    assert.equal(stars.sop.id, 'discourse-stars-program');
    assert.match(
      stars.f.summary,
      /trust level 1, 37 post\(s\), Stars program: nominated; silenced until in 2 day\(s\)/,
    );
    await intel.close();
  });
});
