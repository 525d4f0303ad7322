/**
 * The chaos run of 2026-12-01 02:47 UTC (test/fixtures/stuck/chaos-review-after-draft-*.json), made on purpose
 * on the dev server. A Temporal restart had lost the worker's sticky queue; the driver read the ticket's state
 * while the draft activity was still running, so the query went straight to the normal queue (no task was
 * pending); the worker took it after the draft had completed, applied the completion to answer it, and the
 * driver reviewed the draft it saw. The review joined the task that carried the draft's commands and was
 * accepted behind them: a history that never replays. Here the worker is cut off from the server (a TCP relay),
 * its sticky queue reset, the state read, the draft completed (asynchronously, by the test) and the review sent,
 * and then the worker is let back. The review must go through (refused as busy once, sent again by the client)
 * and the history must replay and keep the rules of history-rules.ts. On the guard of 2a5ac63 every round
 * failed to replay ("Update machine does not handle this event", the acceptance at event 34).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { CompleteAsyncError, Context } from '@temporalio/activity';
import { createActivities } from '../../activities';
import { TicketflowError } from '../../core/errors';
import { workflowIdFor } from '../../workflows/state';
import { testConfig, testTemporalAddress, uniqueName } from '../helpers/infra';
import { waitFor } from '../helpers/wait';
import { devServerCase } from './helpers/dev-server-case';
import { jitteryPublisher, randomFrom, replayAll } from './helpers/interleave';
import { createScriptedIntelligence } from './helpers/scripted-intelligence';

const taskQueue = uniqueName('wf-query-applied');
const cfg = testConfig({ TEMPORAL_TASK_QUEUE: taskQueue });
const { intelligence } = createScriptedIntelligence(new Map());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP relay to the server that can cut the worker off, as an outage does, and let it back. */
async function relay(target: string) {
  const [host, port] = target.split(':') as [string, string];
  const open = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((inbound) => {
    if (cut) return inbound.destroy();
    const outbound = net.connect(Number(port), host);
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cutOff() {
      cut = true;
      for (const s of open) s.destroy();
    },
    restore: () => (cut = false),
    close: () => new Promise((r) => server.close(r)),
  };
}

let link: Awaited<ReturnType<typeof relay>> | undefined;
const c = devServerCase(cfg, {
  workerAddress: async () => (link = await relay(testTemporalAddress())).address,
  cleanup: async () => link?.close(),
});

/** `p`, or a failure after `ms`: the worker's runUntil then ends, and so does this file. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The real activities, but each draft's result is handed back later, by the test, through the c.client. */
function parkingDrafts() {
  const real = createActivities({ intelligence, publisher: jitteryPublisher(randomFrom(5), 1).publisher });
  const parked: { token: Uint8Array; result: unknown }[] = [];
  const activities = {
    ...real,
    async draftReply(...args: Parameters<typeof real.draftReply>) {
      const result = await real.draftReply(...args);
      parked.push({ token: Context.current().info.taskToken, result });
      throw new CompleteAsyncError();
    },
  };
  return { activities, parked };
}

describe('a completion applied for a query, and a review in the task after it (dev server)', () => {
  test('the review goes through and every history replays', async () => {
    const { activities, parked } = parkingDrafts();
    const worker = await c.worker(activities);
    const rounds = 3;
    const run = async () => {
      for (let round = 0; round < rounds; round++) {
        const { ticketId } = await c.tickets.createTicket({
          text: `invoice wrong ${round}`,
          userId: 'u1',
          orgId: 'o1',
        });
        c.started.push(ticketId);
        await waitFor(() => parked.length === round + 1, { timeoutMs: 20_000, message: 'the draft parked' });
        const workflowId = workflowIdFor(ticketId);
        link!.cutOff();
        await c.client.workflowService.resetStickyTaskQueue({ namespace: c.namespace, execution: { workflowId } });
        const read = c.tickets.getState(ticketId);
        read.catch(() => undefined); // awaited below; a failure meanwhile must not end the file
        await sleep(300);
        await c.client.activity.complete(parked[round]!.token, parked[round]!.result);
        await sleep(100);
        // As the chaos driver: a review refused because the draft was not applied yet is sent again later.
        const approve = () =>
          c.tickets.review(ticketId, { action: 'approve', draftVersion: 1, reviewer: 'r' }, `${workflowId}-r`);
        const review = approve().catch(async (err: unknown) => {
          if (!(err instanceof TicketflowError) || err.code !== 'conflict') throw err;
          await waitFor(async () => (await c.tickets.getState(ticketId)).pendingReview, { timeoutMs: 20_000 });
          return approve();
        });
        review.catch(() => undefined);
        await sleep(300);
        link!.restore();
        const seen = await read;
        assert.equal(seen.pendingReview?.draftVersion, 1, 'the query was answered with the draft applied');
        assert.ok(await review, 'the review was answered');
      }
    };
    await worker.runUntil(within(60_000, run()));
    assert.deepEqual(await replayAll(c.client, c.bundle, c.started), []);
  });
});
