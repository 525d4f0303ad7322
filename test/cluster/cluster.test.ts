/**
 * The cluster test: two workers and two gateways, each its own process, on one Temporal, one Kafka and one
 * PostgreSQL. Tickets are created at either gateway and followed and acted on at the other; a ws-ticket used
 * at one gateway is refused at the other; one customer's creation budget is spent across both; the worker
 * that ran a ticket's last workflow task is killed (-9) mid-ticket and the other worker finishes it. Every
 * agent stream, at either gateway, gets every durable event once, through to the ticket's close.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { TicketApi } from '../../scripts/driver/api';
import { Actor, type AgentState } from '../../scripts/driver/actor';
import { Follower } from '../../scripts/driver/follower';
import { workflowIdFor } from '../../workflows/state';
import { testTemporalAddress, testTemporalNamespace } from '../helpers/infra';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { sopAcrossInstances, sopsWithoutDiscourse } from './sop-step';
import { ClusterStack } from './stack';

const TICKETS = [
  {
    n: 2,
    at: 'A',
    text: 'I was charged twice for my subscription this month, order 4471. Please refund the duplicate.',
  },
  {
    n: 8,
    at: 'B',
    text: 'My invoice shows the annual plan but I am on the monthly plan. Can you correct the invoice?',
  },
] as const;
const WHO = { userId: 'cluster-customer', orgId: 'acme-corp' };

let pg: TestPostgres | null;
let stack: ClusterStack;
let temporal: Client;
const sopsDir = sopsWithoutDiscourse();
const followers: Follower[] = [];

before(async () => {
  pg = await startTestPostgres();
  if (!pg) return;
  stack = new ClusterStack(await pg.database(), {
    TRIAGE_MODEL: 'rules',
    RATE_LIMIT_TICKETS: '2/10m',
    AFTER_RUNNER_DELAY: '1s',
    FEEDBACK_WINDOW: '30s',
    REVIEW_SLA: '1h',
    SOPS_DIR: sopsDir,
  });
  await stack.prepare();
  await Promise.all([stack.startWorker('worker-1'), stack.startWorker('worker-2')]);
  await Promise.all([stack.startGateway('gateway-a'), stack.startGateway('gateway-b')]);
  temporal = new Client({
    connection: await Connection.connect({ address: testTemporalAddress() }),
    namespace: testTemporalNamespace(),
  });
});

after(async () => {
  followers.forEach((f) => f.stop());
  await stack?.stop();
  await temporal?.connection.close();
  await pg?.stop();
  fs.rmSync(sopsDir, { recursive: true, force: true });
  if (process.exitCode === undefined || process.exitCode === 0) stack?.removeData();
});

/** The worker identities (pid@host) that completed the ticket's workflow tasks, in order; `since`: after then. */
async function taskWorkers(ticketId: string, since = 0): Promise<string[]> {
  const history = await temporal.workflow.getHandle(workflowIdFor(ticketId)).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const at = Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
    const identity = e.workflowTaskCompletedEventAttributes?.identity;
    return identity && at > since ? [identity] : [];
  });
}

const pidOf = (identity: string) => Number(identity.split('@')[0]);

async function until<T>(what: string, deadline: number, probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

void describe('cluster: two workers, two gateways, one Temporal, Kafka and PostgreSQL', () => {
  void test(
    'tickets at either gateway, streams at the other, a worker killed mid-ticket',
    { timeout: 420_000 },
    async (t) => {
      if (!pg) return t.skip('no PostgreSQL installed (initdb/pg_ctl not found)');
      const gw = { A: stack.apps.get('gateway-a')!.url!, B: stack.apps.get('gateway-b')!.url! };
      const api = { A: new TicketApi(gw.A, stack.cfg.jwt, 20_000), B: new TicketApi(gw.B, stack.cfg.jwt, 20_000) };
      const other = (at: 'A' | 'B') => (at === 'A' ? 'B' : 'A');
      const customer = api.A.customerToken(WHO);
      const started = Date.now();
      const deadline = started + 240_000;

      // Created at either gateway under one customer's budget of 2 per 10 minutes, shared by both.
      const runs = [];
      for (const spec of TICKETS) {
        const created = await api[spec.at].call<{ ticketId: string; ticketToken?: string | null }>(
          'POST',
          '/v1/tickets',
          customer,
          {
            text: spec.text,
          },
        );
        assert.equal(created.status, 201, `created at ${spec.at}`);
        const ticketId = created.body!.ticketId;
        const watch = {
          A: new Follower(gw.A, ticketId, 'agent', api.A.agentToken),
          B: new Follower(gw.B, ticketId, 'agent', api.B.agentToken),
        };
        const ticketToken = created.body!.ticketToken ?? customer;
        const cust = new Follower(gw[other(spec.at)], ticketId, 'customer', ticketToken);
        followers.push(watch.A, watch.B, cust);
        runs.push({
          ...spec,
          ticketId,
          watch,
          cust,
          actor: new Actor(api[other(spec.at)], ticketId, spec.n, ticketToken),
          closedMs: 0,
          /** An agent who opens the ticket at B once it is resolved (or later): it must get the same stream. */
          late: undefined as Follower | undefined,
        });
      }
      const third = await api.A.call('POST', '/v1/tickets', customer, { text: 'and one more question' });
      assert.equal(third.status, 429, 'a third creation in the window, at A after one at A and one at B');

      // A ws-ticket minted at A for the first ticket opens one stream: at B, then never again at A.
      const first = runs[0]!;
      const minted = await api.A.call<{ ticket: string }>('POST', '/v1/ws-tickets', api.A.agentToken, {
        ticketId: first.ticketId,
      });
      assert.equal(minted.status, 201);
      const wsUrl = (base: string) =>
        `${base.replace(/^http/, 'ws')}/v1/tickets/${first.ticketId}/stream?token=${encodeURIComponent(minted.body!.ticket)}`;
      assert.equal(await upgradeStatus(wsUrl(gw.B)), 101, 'the ws-ticket at B');
      assert.equal(await upgradeStatus(wsUrl(gw.A)), 401, 'the same ws-ticket again, at A');

      // Mid-ticket: once triage has run, kill the worker that completed the ticket's latest workflow task.
      await until('triage of the first ticket', deadline, async () =>
        first.watch.A.record.firstAt.has('tool:triage') ? true : undefined,
      );
      const tasksBefore = await taskWorkers(first.ticketId);
      const victimPid = pidOf(tasksBefore.at(-1)!);
      const victim = [...stack.apps.values()].find((a) => a.child.pid === victimPid)!;
      assert.ok(victim?.name.startsWith('worker'), `the last task's worker ${tasksBefore.at(-1)} is one of ours`);
      const killedAt = Date.now();
      await stack.kill(victim.name);
      // A task the victim completed between the history read and the kill is not "after"; its exit is the line.
      const killDone = Date.now();
      const seqsAtKill = first.watch.A.record.seqs.size;

      // Acted on at the gateway the ticket was not created at, until closed.
      for (const run of runs) {
        await until(`${run.ticketId} closed`, deadline, async () => {
          const s = await api[other(run.at)].state(run.ticketId);
          const state = s.body as AgentState | undefined;
          if (!run.late && ['resolved', 'verifying', 'closed'].includes(state?.status ?? '')) {
            run.late = new Follower(gw.B, run.ticketId, 'agent', api.B.agentToken);
            followers.push(run.late);
          }
          if (state?.status === 'closed') return true;
          if (s.status === 200 && state) await run.actor.act(state);
          return undefined;
        });
        run.closedMs = Date.now() - started;
      }
      // Every stream, at either gateway, ends at its ticket's close (the `closed` status): waited for, for at
      // most 30 s after the last close (the events are in Kafka by then; a stream still open is the defect).
      const ended = Promise.all(runs.flatMap((r) => [r.watch.A, r.watch.B, r.cust, r.late!].map((f) => f.done())));
      await Promise.race([
        ended,
        new Promise((r) => setTimeout(r, Math.min(30_000, Math.max(0, deadline - Date.now()))).unref()),
      ]);

      const tasksAfter = await taskWorkers(first.ticketId, killDone);
      assert.ok(
        tasksAfter.length > 0 && tasksAfter.every((id) => pidOf(id) !== victimPid),
        `the other worker finished it (victim ${victimPid}, tasks after its exit: ${tasksAfter.join(' ')})`,
      );
      for (const run of runs) {
        const [a, b, late] = [run.watch.A.record, run.watch.B.record, run.late!.record];
        const max = Math.max(...a.seqs);
        assert.deepEqual(
          [...a.seqs].sort((x, y) => x - y),
          Array.from({ length: max }, (_, i) => i + 1),
          `${run.ticketId}: every seq at A`,
        );
        // The same at B, whenever each connected: a stream opened after `resolved` and one open through it
        // both go on to the close (they differed when streams ended at `resolved`: A 1-15, B 1-22).
        assert.deepEqual(
          [...b.seqs].sort((x, y) => x - y),
          [...a.seqs].sort((x, y) => x - y),
          `${run.ticketId}: the same at B`,
        );
        assert.deepEqual(
          [...late.seqs].sort((x, y) => x - y),
          [...a.seqs].sort((x, y) => x - y),
          `${run.ticketId}: the same for an agent who opened it at B once it was resolved`,
        );
        assert.deepEqual([a.doubled, b.doubled, late.doubled], [[], [], []], 'no event twice');
        assert.deepEqual(
          [a.lastClose, b.lastClose, late.lastClose, run.cust.record.lastClose],
          [1000, 1000, 1000, 1000],
          `${run.ticketId}: every stream ended at the ticket's close`,
        );
        assert.ok(run.cust.record.resolved, 'the customer stream got resolved');
      }
      // The survivor's ops port: alive, polling, and its activities counted by outcome.
      const ops = [...stack.apps.values()].find((a) => a.name.startsWith('worker') && a !== victim)!.url!;
      assert.equal((await fetch(`${ops}/healthz`)).status, 200);
      assert.equal((await fetch(`${ops}/readyz`)).status, 200);
      const metrics = await (await fetch(`${ops}/metrics`)).text();
      const completed = [
        ...metrics.matchAll(/^ticketflow_worker_activities_total\{[^}]*outcome="completed"[^}]*\} (\d+)/gm),
      ];
      assert.ok(completed.reduce((n, m) => n + Number(m[1]), 0) > 0, 'activities counted on the survivor');

      // The SOP library is shared: provided at A (saved by the survivor), approved at B, used on a new worker.
      const survivor = [...stack.apps.values()].find((a) => a.url === ops)!.name;
      const sop = await sopAcrossInstances(stack, api, survivor, 'worker-3');
      const pids = (await taskWorkers(sop.tickets[1]!)).map(pidOf);
      assert.ok(pids.length > 0 && pids.every((p) => p === sop.freshWorkerPid), 'the SOP ticket ran on the new worker');
      for (const id of sop.tickets) await temporal.workflow.getHandle(workflowIdFor(id)).terminate('cluster test over');
      const firstEventAfterKill = first.watch.A.record.seqs.size > seqsAtKill;
      t.diagnostic(
        JSON.stringify({
          killed: victim.name,
          killedAfterMs: killedAt - started,
          closedMs: runs.map((r) => r.closedMs),
          events: runs.map((r) => r.watch.A.record.seqs.size),
          workflowTasks: { beforeKill: tasksBefore.length, afterKill: tasksAfter.length },
          firstEventAfterKill,
          agentConnects: runs.map((r) => [r.watch.A.record.connects, r.watch.B.record.connects]),
          survivorActivities: completed.map((m) => m[0].replace(/\{.*activity="([^"]+)".*\}/, ' $1')),
        }),
      );
    },
  );
});

function upgradeStatus(url: string): Promise<number> {
  return import('ws').then(
    ({ default: WebSocket }) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          ws.terminate();
        });
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', () => resolve(0));
      }),
  );
}
