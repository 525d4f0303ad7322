/**
 * Pieces of the interleaving test: a publisher whose calls take a random few milliseconds (so a person's
 * update often lands in the same workflow task as a publish completing), a driver that acts on every wait of
 * a ticket the way a person would, and a replay of every history a run produced.
 */
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { EventPublisher } from '../../../activities/events';
import type { Alert, TicketEvent } from '../../../core/events';
import { TicketflowError } from '../../../core/errors';
import type { TicketClient } from '../../../client';
import type { Feedback, ReviewDecision } from '../../../core/domain';
import type { MessageAck } from '../../../workflows/messages';
import { workflowIdFor, type Ticket } from '../../../workflows/state';
import { chainedPublishes, commandsAheadOfUpdate } from './history-rules';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small deterministic generator, so a failing run can be repeated with its seed. */
export function randomFrom(seed: number): (max: number) => number {
  let x = seed >>> 0 || 1;
  return (max) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % max;
  };
}

/** Records what was published; each call takes 0 to `maxDelayMs`. */
export function jitteryPublisher(random: (max: number) => number, maxDelayMs: number) {
  const events: TicketEvent[] = [];
  const alerts: Alert[] = [];
  const publisher: EventPublisher = {
    async publishEvents(batch) {
      await sleep(random(maxDelayMs));
      events.push(...batch);
    },
    async publishAlert(alert) {
      await sleep(random(maxDelayMs));
      alerts.push(alert);
    },
    async close() {},
  };
  return { publisher, events, alerts };
}

/** What a person does at each wait; anything not planned gets the plain answer (approve, resolved). */
export interface Plan {
  reviews?: ReviewDecision['action'][];
  release?: boolean;
  feedback?: Feedback[];
  /** Close the ticket as soon as this holds. */
  closeWhen?: (s: Ticket) => boolean;
  /** Follow-ups sent alongside decisions (each at most once). */
  messages?: number;
}

export interface DriveResult {
  final: Ticket;
  acks: { action: string; ack: MessageAck }[];
  repeats: { first: MessageAck; again: MessageAck }[];
}

/**
 * Acts on every wait until the ticket closes. Each decision goes out after a random pause, together with a
 * customer's follow-up, and one decision is sent twice with the same update id. A decision refused because the
 * ticket moved on meanwhile is simply tried again on the state that follows.
 */
export async function drive(
  tickets: TicketClient,
  id: string,
  plan: Plan,
  random: (max: number) => number,
  timeoutMs = 60_000,
): Promise<DriveResult> {
  const reviews = [...(plan.reviews ?? [])];
  const feedback = [...(plan.feedback ?? [])];
  let messagesLeft = plan.messages ?? 3;
  let released = false;
  let closing = false;
  let n = 0;
  const acks: DriveResult['acks'] = [];
  const repeats: DriveResult['repeats'] = [];
  const done = new Set<string>();
  const deadline = Date.now() + timeoutMs;

  const tolerate = async (action: string, call: () => Promise<MessageAck>): Promise<boolean> => {
    try {
      acks.push({ action, ack: await call() });
      return true;
    } catch (err) {
      if (err instanceof TicketflowError && err.code === 'conflict') return false;
      throw err;
    }
  };
  const followUp = () => {
    if (messagesLeft <= 0 || random(2) === 0) return Promise.resolve(true);
    messagesLeft -= 1;
    return tolerate('message', () =>
      tickets.addMessage(id, { text: `any news? (${messagesLeft})` }, `${id}-m${messagesLeft}`),
    );
  };

  for (;;) {
    if (Date.now() > deadline) throw new Error(`ticket ${id} did not close in ${timeoutMs} ms`);
    const s = await tickets.getState(id);
    if (process.env.DEBUG_INTERLEAVE)
      process.stderr.write(`${id} ${s.status} ${s.awaiting} v${s.pendingReview?.draftVersion ?? '-'}\n`);
    if (s.status === 'closed') return { final: s, acks, repeats };
    if (!closing && plan.closeWhen?.(s)) {
      closing = true;
      await sleep(random(40));
      await Promise.all([
        followUp(),
        tolerate('close', () => tickets.close(id, { by: 'lead', reason: 'handled elsewhere' }, `${id}-close`)),
      ]);
      continue;
    }
    const waitKey = `${s.awaiting}|${s.pendingReview?.draftVersion ?? ''}|${s.reopenCount}|${s.status}`;
    const decide = s.awaiting && !done.has(waitKey) ? decision(s) : null;
    if (!decide) {
      await sleep(15);
      continue;
    }
    await sleep(random(60));
    const updateId = `${id}-d${++n}`;
    const [accepted] = await Promise.all([tolerate(decide.action, () => decide.send(updateId)), followUp()]);
    if (!accepted) continue;
    done.add(waitKey);
    if (n === 2) {
      // The same update id again: the first answer, not a second decision (and not a conflict).
      const first = acks.filter((a) => a.action === decide.action).at(-1)!.ack;
      repeats.push({ first, again: await decide.send(updateId) });
    }
  }

  function decision(s: Ticket): { action: string; send: (updateId: string) => Promise<MessageAck> } | null {
    const pending = s.pendingReview;
    if (s.awaiting === 'sop')
      return {
        action: 'sop',
        send: (u) => tickets.provideSop(id, { title: 'Refunds', body: 'Check the transaction id.', author: 'mgr' }, u),
      };
    if (s.awaiting === 'feedback') {
      const f = feedback.shift() ?? { resolved: true, rating: 5, comment: 'thanks' };
      return { action: 'feedback', send: (u) => tickets.sendFeedback(id, f, u) };
    }
    if (!pending) return null;
    if (pending.releasable && plan.release && !released) {
      released = true;
      return { action: 'release', send: (u) => tickets.release(id, { reviewer: 'sec' }, u) };
    }
    const action = pending.actions.length === 1 ? pending.actions[0]! : (reviews.shift() ?? 'approve');
    const v = pending.draftVersion;
    const d: ReviewDecision =
      action === 'edit'
        ? { action, draftVersion: v, reviewer: 'r', text: `We fixed it (after v${v}).` }
        : action === 'reject'
          ? { action, draftVersion: v, reviewer: 'r', reason: 'add the date' }
          : { action, draftVersion: v, reviewer: 'r' };
    return { action, send: (u) => tickets.review(id, d, u) };
  }
}

/**
 * Replays every history and checks the rules replay cannot see; answers the failures (workflow id and
 * reason), empty when all replay and keep the rules.
 */
export async function replayAll(
  client: Client,
  bundle: WorkflowBundleWithSourceMap,
  ticketIds: readonly string[],
): Promise<string[]> {
  const failures: string[] = [];
  for (const id of ticketIds) {
    const workflowId = workflowIdFor(id);
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const chained = chainedPublishes(history.events ?? []);
    if (chained.length > 0)
      failures.push(`${workflowId}: a publish chained to another's completion at event ${chained.join(', ')}`);
    const late = commandsAheadOfUpdate(history.events ?? []);
    if (late.length > 0)
      failures.push(`${workflowId}: an update accepted behind a completion's commands at event ${late.join(', ')}`);
    try {
      await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId);
    } catch (err) {
      failures.push(`${workflowId}: ${(err as Error).message}`);
    }
  }
  return failures;
}

/** Workflow tasks, activities and local activities in a ticket's history (its current run). */
export async function countTasks(
  client: Client,
  ticketId: string,
): Promise<{ workflowTasks: number; activities: number; localActivities: number }> {
  const history = await client.workflow.getHandle(workflowIdFor(ticketId)).fetchHistory();
  let workflowTasks = 0;
  let activities = 0;
  let localActivities = 0;
  for (const e of history.events ?? []) {
    if (e.workflowTaskCompletedEventAttributes) workflowTasks += 1;
    if (e.activityTaskScheduledEventAttributes) activities += 1;
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') localActivities += 1;
  }
  return { workflowTasks, activities, localActivities };
}
