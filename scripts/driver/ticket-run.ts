/**
 * One ticket from a customer's POST to its end: create (retried with the same Idempotency-Key), follow the
 * agent's and the customer's streams, act on every wait, and stop when the ticket is closed (or has reached
 * review, when that is all a run measures) or the deadline passes.
 */
import type { TicketEvent } from '../../core/events';
import { Actor, type ActionCounts, type AgentState } from './actor';
import type { TicketApi } from './api';
import type { CorpusTicket } from './corpus';
import { Follower, type FollowerRecord } from './follower';

export interface TicketRunOptions {
  api: TicketApi;
  /** Epoch ms after which the ticket is left as it is. */
  deadline: number;
  /** 'review': stop once a review is requested (benchmarks); 'closed': see it through (chaos). */
  until: 'review' | 'closed';
  /** How often the state is read when no stream event wakes the actor. */
  pollMs?: number;
  /** Called on every new event either stream receives (the chaos run's sign of life). */
  onProgress?: () => void;
}

export interface TicketOutcome {
  n: number;
  ticketId?: string;
  idempotencyKey: string;
  createStatus: number;
  createAttempts: number;
  createError?: string;
  /** Milliseconds from the POST: its answer, the triage event on the agent's socket, the review request. */
  postMs: number;
  triageMs?: number;
  reviewMs?: number;
  finalStatus?: string;
  reachedEnd: boolean;
  actions: ActionCounts;
  followers: FollowerRecord[];
}

const WAKE_ON = new Set(['review_requested', 'status', 'message', 'resolved']);

export async function runTicket(n: number, ticket: CorpusTicket, o: TicketRunOptions): Promise<TicketOutcome> {
  const t0 = performance.now();
  const created = await o.api.createTicket(ticket.who, ticket.text, o.deadline);
  const outcome: TicketOutcome = {
    n,
    idempotencyKey: created.idempotencyKey,
    createStatus: created.status,
    createAttempts: created.attempts,
    createError: created.error,
    postMs: performance.now() - t0,
    reachedEnd: false,
    actions: {},
    followers: [],
  };
  const ticketId = created.body?.ticketId;
  if (created.status !== 201 || !ticketId) return outcome;
  outcome.ticketId = ticketId;
  const customerToken = created.body?.ticketToken ?? o.api.customerToken(ticket.who);

  let wake: () => void = () => undefined;
  // Set by an event that arrives while the state is being read, so the next turn does not sleep through it.
  let eventPending = false;
  const onEvent = (e: TicketEvent) => {
    o.onProgress?.();
    if (!WAKE_ON.has(e.type)) return;
    // Until review, only a wait for someone (a missing SOP) needs the state read: every other read would be
    // a query per status change, measured as if it were the ticket's own cost.
    if (o.until === 'review' && !(e.type === 'status' && e.data.awaiting)) return;
    eventPending = true;
    wake();
  };
  const agent = new Follower(o.api.baseUrl, ticketId, 'agent', o.api.agentToken, onEvent);
  const customer = new Follower(o.api.baseUrl, ticketId, 'customer', customerToken, () => o.onProgress?.());
  const actor = new Actor(o.api, ticketId, n, customerToken);
  const reviewRequested = () => agent.record.firstAt.has('review_requested');
  // Until 'closed' the state is read on every turn; until 'review' only when an event says something changed
  // (a missing SOP is a wait before any review), so a benchmark does not add a query per ticket per poll.
  let woke: 'start' | 'event' | 'timeout' = 'start';
  try {
    while (Date.now() < o.deadline) {
      if (o.until === 'review' && reviewRequested()) {
        outcome.reachedEnd = true;
        break;
      }
      if (o.until === 'closed' || woke === 'event') {
        const s = await o.api.state(ticketId);
        const state = s.body as AgentState | undefined;
        if (s.status === 200 && state) {
          outcome.finalStatus = state.status;
          if (o.until === 'closed' && state.status === 'closed') {
            outcome.reachedEnd = true;
            break;
          }
          if (await actor.act(state)) {
            woke = 'start';
            continue;
          }
        }
      }
      if (!eventPending) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, o.pollMs ?? 2_000).unref();
        });
      }
      woke = eventPending ? 'event' : 'timeout';
      eventPending = false;
    }
    // Both streams end at the ticket's close. The state read runs ahead of Kafka when the broker was down (the
    // workflow moves on; the workers publish once it is back, their retries backing off), so the streams get
    // until the run's deadline to end, re-read each second since the run may move it: a late event is not a
    // lost one, and what has not come by then is missing.
    if (o.until === 'closed') {
      const streamsEnded = Promise.all([agent.done(), customer.done()]).then(() => true);
      let ended = false;
      while (!ended && Date.now() < o.deadline)
        ended = await Promise.race([streamsEnded, sleep(1_000).then(() => false)]);
    }
  } finally {
    agent.stop();
    customer.stop();
  }
  const at = (kind: string) => {
    const t = agent.record.firstAt.get(kind);
    return t === undefined ? undefined : t - t0;
  };
  outcome.triageMs = at('tool:triage');
  outcome.reviewMs = at('review_requested');
  outcome.actions = actor.counts;
  outcome.followers = [agent.record, customer.record];
  return outcome;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
