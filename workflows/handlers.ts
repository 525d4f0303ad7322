/**
 * What the ticket does with each message, as one table: each action's checks (run by the update's validator,
 * so a stale or impossible decision is refused before it enters history) and what it records. Handlers only
 * record (into the inbox or the ticket) and wake the phase loop; the loop takes decisions from there and
 * publishes what they emitted (a handler starts no activity: outbox.ts). An update answers once the loop has
 * taken its decision, so the caller sees the state the decision led to, and a repeated update id gets the
 * first answer, even after continue-as-new. An update arriving in a workflow task in which something else
 * already resolved is refused as busy before it is accepted (task-guard.ts says why); the client retries it.
 *
 * To add an action: its contract in messages.ts, then one `register` entry here (check, record, settled).
 */
import { condition, currentUpdateInfo, log, setHandler } from '@temporalio/workflow';
import type { z } from 'zod';
import { limits } from '../core/limits';
import {
  openTicketUpdate,
  TICKET_BUSY,
  ticketActions,
  ticketStateQuery,
  type CloseInput,
  type MessageAck,
  type TicketAction,
} from './messages';
import { checkDecision, recordDecision, undecided } from './proposals';
import type { TicketModel } from './ticket';
import { fail, nowIso, parse } from './util';

const UPDATE_RESULTS_KEPT = 100;

export interface HandlerHooks {
  /** Ends the main scope: the ticket closes with this request's reason. */
  requestClose(c: z.output<typeof ticketActions.close.schema>): void;
  closeRequested(): CloseInput | null;
  /** False between runs (continue-as-new under way): a close must wait for the next run. */
  canClose(): boolean;
  /** After a handler recorded: wakes the phase loop. Runs recorded before `handlersOnlyRecord` kick the outbox here. */
  recorded(): void;
  /** Something already resolved in this workflow task: an update accepted now could not replay (task-guard.ts). */
  busy(): boolean;
  /** The run was started with PATCHES.holderChecks: a signal's `guard` refuses it too (see Entry.guard). */
  guardSignals: boolean;
}

interface Entry<S extends z.ZodType> {
  action: TicketAction<S, boolean>;
  /** State checks after the schema: throw fail(...) to refuse. */
  check?: (input: z.output<S>) => void;
  /**
   * Refusals added after histories were recorded (the holder, for release, SOP and proposal decisions): run
   * by the update's validator, which never runs on replay, and never by the handler, so an update a worker
   * of an older version accepted replays as accepted. A signal has no validator: it is guarded only in runs
   * started with the patch.
   */
  guard?: (input: z.output<S>) => void;
  record: (input: z.output<S>) => void;
  /** When the caller may have its answer; at once unless given. */
  settled?: () => boolean;
}

export class Handlers {
  /** Messages handled in this run (continue-as-new counts them). */
  handled = 0;

  constructor(
    private readonly t: TicketModel,
    private readonly hooks: HandlerHooks,
  ) {}

  install(): void {
    const { t, hooks } = this;
    const { s, work } = t;
    setHandler(ticketStateQuery, () => s);
    setHandler(openTicketUpdate, () => t.ack(), { validator: () => this.refuseIfBusy() });
    const assertOpen = () => {
      if (s.status === 'closed' || work.phase === 'done') throw fail('the ticket is closed');
    };
    // While someone holds the ticket on the desk, only they decide for it (a takeover with a reason first).
    const assertHolder = (who: string) => {
      const holder = s.holder?.agent;
      if (holder && holder !== who)
        throw fail(`ticket ${s.ticketId} is assigned to ${holder}; take it over with a reason first`);
    };
    this.register({
      action: ticketActions.review,
      check: (d) => {
        assertHolder(d.reviewer);
        const pending = s.pendingReview;
        if (!pending || work.inbox.decision)
          throw fail(
            `no draft is waiting for review (status ${s.status}${s.awaiting ? `, waiting for ${s.awaiting}` : ''})`,
          );
        if (d.draftVersion !== pending.draftVersion)
          throw fail(`draft version ${d.draftVersion} is stale: the current draft is version ${pending.draftVersion}`);
        if (!pending.actions.includes(d.action)) {
          throw fail(
            `${d.action} is not possible now (${pending.reason ?? s.status}); allowed: ${pending.actions.join(', ')}${pending.releasable ? ', release' : ''}`,
          );
        }
        const open = d.action === 'reject' ? [] : undecided(s);
        if (open.length)
          throw fail(`confirm or decline the proposed action(s) first: ${open.map((p) => p.id).join(', ')}`);
      },
      record: (d) => {
        work.inbox.decision = d;
        t.reviewTaken();
      },
      settled: () => work.inbox.decision === null && !work.checkingReply && !work.executingProposals,
    });
    this.register({
      action: ticketActions.setHolder,
      // The desk has decided already: only a word the ticket has (or an older one) is refused, by the validator
      // alone, so telling it again (a gateway's start-up sweep, gateway/desk/tell-holders.ts) adds no history.
      guard: (h) => {
        const kept = s.holder;
        if (kept && (Date.parse(h.at) < Date.parse(kept.at) || (h.at === kept.at && h.agent === kept.agent)))
          throw fail(`the ticket knows a holder as of ${kept.at} already`);
      },
      record: (h) => {
        if (!s.holder || Date.parse(s.holder.at) <= Date.parse(h.at)) s.holder = { agent: h.agent, at: h.at };
      },
    });
    this.register({
      action: ticketActions.decideProposal,
      check: (d) => checkDecision(t, d),
      guard: (d) => assertHolder(d.by),
      record: (d) => recordDecision(t, d),
    });
    this.register({
      action: ticketActions.release,
      check: () => {
        if (!s.pendingReview?.releasable || work.inbox.release || work.inbox.decision)
          throw fail(`nothing to release: the ticket is not held in the security queue (status ${s.status})`);
      },
      guard: (r) => assertHolder(r.reviewer),
      record: (r) => {
        work.inbox.release = r;
        t.reviewTaken();
      },
      settled: () => work.inbox.release === null,
    });
    this.register({
      action: ticketActions.provideSop,
      check: () => {
        if (s.awaiting !== 'sop' || work.inbox.sop) throw fail(`no SOP is needed now (status ${s.status})`);
      },
      guard: (sop) => assertHolder(sop.author),
      record: (sop) => {
        work.inbox.sop = sop;
        t.sopTaken();
      },
      settled: () => work.inbox.sop === null,
    });
    this.register({
      action: ticketActions.feedback,
      check: () => {
        if (!['sent', 'resolved', 'verifying'].includes(s.status))
          throw fail(`feedback is possible once a reply was sent and before the ticket closes (status ${s.status})`);
        if (s.feedback) throw fail('feedback was already given for this reply');
      },
      record: (f) => {
        s.feedback = f;
        t.emit('message', {
          from: 'customer',
          kind: 'feedback',
          ...(f.resolved !== undefined ? { resolved: f.resolved } : {}),
          ...(f.rating ? { rating: f.rating } : {}),
          text: f.comment,
        });
      },
    });
    this.register({
      action: ticketActions.customerMessage,
      check: () => {
        assertOpen();
        // The state (and so every snapshot and continue-as-new) carries the conversation: bound it.
        const count = s.messages.filter((x) => x.from === 'customer').length;
        if (count >= limits.customerMessages)
          throw fail(`this ticket already holds ${count} customer messages (the limit); please open a new ticket`);
      },
      record: (m) => {
        s.messages.push({ from: 'customer', text: m.text, at: nowIso(), ...(m.author ? { author: m.author } : {}) });
        t.emit('message', { from: 'customer', text: m.text, ...(m.author ? { by: m.author } : {}) });
      },
    });
    this.register({
      action: ticketActions.escalate,
      check: () => {
        assertOpen();
        if (s.escalated && s.queue === 'human_live')
          throw fail('the ticket is already with a person in the live queue');
      },
      record: (e) => t.escalate(e),
    });
    this.register({
      action: ticketActions.close,
      check: () => {
        assertOpen();
        if (hooks.closeRequested()) throw fail('the ticket is already closing');
        if (!hooks.canClose()) throw fail('the ticket is between runs; try again');
      },
      record: (c) => hooks.requestClose(c),
      settled: () => s.status === 'closed',
    });
  }

  /**
   * One action's signal (where it has one) and update. An invalid signal is not lost silently: it becomes an
   * `error` event on the ticket's stream.
   */
  private register<S extends z.ZodType>(e: Entry<S>): void {
    const { t } = this;
    const validate = (raw: unknown, guarded: boolean): z.output<S> => {
      const input = parse<z.output<S>>(e.action.schema, raw);
      e.check?.(input);
      if (guarded) e.guard?.(input);
      return input;
    };
    const signal = e.action.signal;
    if (signal) {
      setHandler(signal, (raw: unknown) => {
        this.handled += 1;
        let input: z.output<S>;
        try {
          input = validate(raw, this.hooks.guardSignals);
        } catch (err) {
          t.emit('error', { message: signal.name, reason: (err as Error).message });
          this.hooks.recorded();
          return;
        }
        e.record(input);
        this.hooks.recorded();
      });
    }
    setHandler(
      e.action.update,
      async (raw: unknown) => {
        const updateId = currentUpdateInfo()?.id;
        const cached = this.cached(updateId);
        if (cached) return cached;
        this.handled += 1;
        e.record(validate(raw, false));
        this.hooks.recorded();
        const settled = e.settled ?? (() => true);
        await condition(() => settled() || t.work.phase === 'done');
        return this.remember(updateId, t.ack());
      },
      {
        validator: (raw: unknown) => {
          this.refuseIfBusy();
          if (this.cached(currentUpdateInfo()?.id)) return;
          validate(raw, true);
        },
      },
    );
  }

  private refuseIfBusy(): void {
    if (!this.hooks.busy()) return;
    // Rare (a task cut in two by a cold worker): worth seeing when it happens.
    log.warn('update refused as busy: something already resolved in this workflow task', {
      ticketId: this.t.s.ticketId,
    });
    throw fail('the ticket is busy with another step; send the update again', TICKET_BUSY);
  }

  private cached(id: string | undefined): MessageAck | undefined {
    if (!id) return undefined;
    return this.t.work.updateResults.find(([k]) => k === id)?.[1] as MessageAck | undefined;
  }

  private remember(id: string | undefined, result: MessageAck): MessageAck {
    const kept = this.t.work.updateResults;
    if (id) {
      kept.push([id, result]);
      if (kept.length > UPDATE_RESULTS_KEPT) kept.shift();
    }
    return result;
  }
}
