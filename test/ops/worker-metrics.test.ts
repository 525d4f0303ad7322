/**
 * The worker's /metrics, scraped over HTTP from its ops server: model calls by model, call and outcome with
 * their latency (a real OpenAI-compatible client against the local fake server, through the intelligence the
 * worker builds), and proposals by kind and outcome as the real stack's activities find and run them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { createIntelligence } from '../../activities/intelligence';
import type { Intelligence, TicketContext } from '../../activities/ports';
import type { ProposalRecord } from '../../core/domain';
import { PATCHES } from '../../workflows/patches';
import { createWorkerMetrics, type WorkerMetrics } from '../../worker-ops/metrics';
import { startOpsServer, type OpsServer } from '../../worker-ops/server';
import { stackCalls } from '../actions/stack-calls';
import { startStack, type Stack } from '../e2e/stack';
import { testConfig } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { startFakeOpenAi, type FakeOpenAi } from '../intelligence/fake-openai';
import { recordedPatches } from './patch-markers';

let metrics: WorkerMetrics;
let ops: OpsServer;

before(async () => {
  metrics = createWorkerMetrics({ taskQueue: 'ops-metrics-test' });
  ops = await startOpsServer('127.0.0.1', 0, { state: () => 'ready', registry: metrics.registry });
});
after(() => ops?.close());

async function scrape(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${ops.port}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

/** The value of one sample, or 0 when the series is absent. */
function sample(body: string, name: string, labels: Record<string, string>): number {
  const line = body
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('model calls', () => {
  let fake: FakeOpenAi;
  let intel: Intelligence;
  let dataDir: string;

  before(async () => {
    fake = await startFakeOpenAi();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketflow-ops-'));
    const cfg = testConfig({
      OPENAI_API_KEY: 'sk-test-not-a-secret',
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_MODEL: 'gpt-ops-test',
      TICKETFLOW_DATA_DIR: dataDir,
    });
    intel = await createIntelligence(cfg, { dataDir, modelObserver: metrics.models });
  });
  after(async () => {
    await intel?.close();
    await fake?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('each call is counted by model, call and outcome, and timed', async () => {
    const ctx: TicketContext = { ticketId: 't-ops-model', userId: 'u1', orgId: 'o1' };
    const feedback = { comment: 'the export works again', rating: 5 };
    fake.reply({ content: '{"resolved": true, "sentiment": "positive", "reason": "works"}' });
    assert.equal((await intel.feedback.analyze(ctx, feedback)).resolved, true);
    fake.reply({ status: 429 });
    await assert.rejects(intel.feedback.analyze(ctx, feedback), /429/);
    fake.reply({ content: 'no JSON here' });
    await assert.rejects(intel.feedback.analyze(ctx, feedback), /did not answer feedback with JSON/);

    const body = await scrape();
    const calls = (outcome: string) =>
      sample(body, 'ticketflow_worker_model_calls_total', { model: 'openai:gpt-ops-test', call: 'feedback', outcome });
    assert.deepEqual([calls('ok'), calls('rate_limited'), calls('model_output_invalid')], [1, 1, 1]);
    const timed = { model: 'openai:gpt-ops-test', call: 'feedback' };
    assert.equal(sample(body, 'ticketflow_worker_model_call_seconds_count', timed), 3);
    assert.ok(sample(body, 'ticketflow_worker_model_call_seconds_sum', timed) > 0);
    assert.doesNotMatch(body, /export works again|sk-test/, 'no text and no key in the metrics');
  });
});

describe('proposals, on the real stack', () => {
  let stack: Stack;
  type State = { awaiting: string | null; draft: { version: number } | null; proposals?: ProposalRecord[] };
  const { openTicket, agent, waitState, store } = stackCalls<State>(() => stack);

  before(async () => {
    stack = await startStack({ proposals: metrics.proposals });
    // Two refunds over the policy's cap (different amounts: neither is a copy of the other), each held for a person.
    const db = store();
    const ins = db.prepare(
      "INSERT INTO transactions (id, user_id, org_id, amount_cents, currency, description, created_at, plan) VALUES (?, 'mona', 'acme-corp', ?, 'USD', 'Pro plan, yearly', ?, 'pro-yearly')",
    );
    ins.run('txn_48990', 50_000, new Date(Date.now() - 4 * 86_400_000).toISOString());
    ins.run('txn_61001', 40_000, new Date(Date.now() - 3 * 86_400_000).toISOString());
    db.close();
  });
  after(() => stack?.stop());

  test('a preapproved refund is counted when found and again when run', async () => {
    const id = await openTicket('mona', 'Charged twice for my Pro plan: txn_48214 and txn_48213. Please refund it.');
    const s = await waitState(id, (x) => x.awaiting === 'review' && (x.proposals?.length ?? 0) > 0, 'a proposal');
    const kind = s.proposals![0]!.kind;
    let body = await scrape();
    assert.equal(sample(body, 'ticketflow_worker_proposals_total', { kind, outcome: 'preapproved' }), 1);
    assert.equal(sample(body, 'ticketflow_worker_proposals_total', { kind, outcome: 'executed' }), 0);

    const approved = await agent(id, 'review', { action: 'approve', draftVersion: s.draft!.version });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    await waitState(id, (x) => x.proposals?.[0]?.status === 'executed', 'the refund run');
    body = await scrape();
    assert.equal(sample(body, 'ticketflow_worker_proposals_total', { kind, outcome: 'executed' }), 1);
    assert.equal(sample(body, 'ticketflow_worker_proposals_total', { kind, outcome: 'failed' }), 0);
  });

  test("a person's confirm and decline are counted by kind and decision, once each", async () => {
    const ids = await Promise.all(
      ['txn_48990', 'txn_61001'].map((txn) =>
        openTicket('mona', `I was charged twice: txn_48213 and ${txn}. Please refund the duplicate.`),
      ),
    );
    const held = await Promise.all(
      ids.map((id) => waitState(id, (x) => x.proposals?.[0]?.status === 'pending', 'a proposal waiting for a person')),
    );
    const kind = held[0]!.proposals![0]!.kind;
    const decided = (body: string) =>
      ['confirm', 'decline'].map((decision) =>
        sample(body, 'ticketflow_worker_proposal_decisions_total', { kind, decision }),
      );
    assert.deepEqual(decided(await scrape()), [0, 0]);

    for (const [i, decision] of (['confirm', 'decline'] as const).entries()) {
      const res = await agent(ids[i]!, 'proposals', { proposalId: held[i]!.proposals![0]!.id, decision });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    // The worker calls the sink after the update's activation: wait until both show, then check neither is more.
    await waitFor(async () => decided(await scrape()).every((n) => n > 0), { message: 'both decisions counted' });
    const body = await scrape();
    assert.deepEqual(decided(body), [1, 1]);
    assert.doesNotMatch(body, /txn_48990|txn_61001|mona/, 'no ticket data in the metrics');
  });

  test('tracing off: the bundled workflow interceptors pass through and record nothing', async () => {
    const id = await openTicket('mona', "Where can I download last month's invoice as a PDF?");
    await waitState(id, (x) => x.awaiting !== null, 'the run waiting on something (its start patches asked)');
    const connection = await Connection.connect({ address: stack.config.temporal.address });
    try {
      const patches = await recordedPatches(new Client({ connection, namespace: stack.config.temporal.namespace }), id);
      assert.ok(patches.length > 0, 'the run records its other patches');
      assert.ok(!patches.includes(PATCHES.tracingInterceptors), patches.join());
    } finally {
      await connection.close();
    }
  });
});
