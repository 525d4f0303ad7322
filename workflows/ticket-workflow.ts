/**
 * One customer ticket, from arrival to feedback, as one durable workflow: the wiring (handlers, outbox, waits),
 * the phase loop, and continue-as-new. The phases are in steps/, the ticket's state and its transitions in
 * ticket.ts, the messages in handlers.ts. No I/O here: every model call, tool, store and publish is an activity.
 */
import {
  ActivityFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import { TicketAttributes } from './attributes';
import { ticketDetails } from './details';
import { Handlers } from './handlers';
import { LoopOutbox } from './legacy';
import type { CloseInput } from './messages';
import { KickedOutbox, type Outbox } from './outbox';
import { PATCHES, runPatches } from './patches';
import { stepActivities } from './proxies';
import { ticketTextUpdate } from './search-attributes';
import { TaskGuard } from './task-guard';
import {
  DEFAULT_DURATIONS,
  DEFAULT_MAX_MESSAGES_PER_RUN,
  DEFAULT_MAX_REDRAFTS,
  initialState,
  initialWork,
  type Phase,
  type Ticket,
  type TicketInput,
  type TicketOutcome,
} from './state';
import { automationFailed, steps, type StepContext } from './steps';
import { TicketModel } from './ticket';
import { nowIso, stripUndefined } from './util';
import { ContinueAsNewNeeded, Waits } from './waits';

export async function ticketWorkflow(input: TicketInput): Promise<TicketOutcome> {
  return new TicketRun(input).run();
}

class TicketRun {
  private readonly c: StepContext;
  private readonly handlers: Handlers;
  private readonly maxMessagesPerRun: number;
  private closeRequest: CloseInput | null = null;
  private mainScope: CancellationScope | null = null;
  private readonly details: boolean;

  constructor(private readonly input: TicketInput) {
    // First, before any command: which shape this run was recorded with.
    const { shape5, shape6, shape7, has } = runPatches();
    const legacy = !has(PATCHES.kickedOutbox);
    const onlyRecord = !legacy && has(PATCHES.handlersOnlyRecord);
    const guard = new TaskGuard();
    const durableProposals = has(PATCHES.durableProposals);
    const shape = {
      localFindSop: has(PATCHES.localFindSop),
      publishFirst: !legacy && has(PATCHES.activitiesPublishFirst),
      ticketText: has(PATCHES.ticketTextAttribute),
      confirmRunsRevocation: durableProposals && has(PATCHES.confirmRunsRevocation),
      quietContainment: shape7,
    };
    this.details = has(PATCHES.currentDetails);
    const keepReviewDue = has(PATCHES.reviewDueAttribute);
    const guardSignals = has(PATCHES.holderChecks);
    const durations = { ...DEFAULT_DURATIONS, ...stripUndefined(input.durations ?? {}) };
    const t = new TicketModel(
      input.carried?.state ?? initialState(input, nowIso()),
      input.carried?.work ?? initialWork(),
      durations.reviewSlaMs,
      keepReviewDue,
      new TicketAttributes(shape5, shape6),
    );
    const track = <T>(p: Promise<T>, sameTask?: boolean) => guard.watch(p, sameTask);
    const outbox: Outbox = legacy
      ? new LoopOutbox(t.s.ticketId, t.log)
      : new KickedOutbox(t.s.ticketId, t.log, track, onlyRecord, () => t.attributes.flush());
    t.onStatusChange = () => this.showStep(t.work.phase);
    this.maxMessagesPerRun = input.maxMessagesPerRun ?? DEFAULT_MAX_MESSAGES_PER_RUN;
    const waits = new Waits(t, outbox, legacy, () => this.shouldContinueAsNew(), guard, onlyRecord);
    const act = stepActivities(() => outbox.kick(), track, !shape.publishFirst);
    this.c = {
      t,
      input,
      outbox,
      act,
      waits,
      legacy,
      durableProposals,
      durations,
      maxRedrafts: input.maxRedrafts ?? DEFAULT_MAX_REDRAFTS,
      shape,
      patched: has,
    };
    this.handlers = new Handlers(t, {
      requestClose: (req) => {
        this.closeRequest = req;
        this.mainScope?.cancel();
      },
      closeRequested: () => this.closeRequest,
      canClose: () => this.mainScope !== null,
      // The phase loop wakes by itself (its conditions see what was recorded) and publishes what was emitted.
      recorded: onlyRecord ? () => undefined : () => outbox.kick(),
      busy: () => guard.resolvedInThisTask(),
      guardSignals,
    });
  }

  async run(): Promise<TicketOutcome> {
    const { t, outbox } = this.c;
    this.handlers.install();
    if (outbox instanceof LoopOutbox) outbox.start();
    t.upsertSearchAttributes();
    if (!this.input.carried) t.emit('status', t.statusData());
    // A continued run says its words again: its predecessor may have run without the patch.
    else if (this.c.shape.ticketText && t.s.redactedText) t.attributes.set([ticketTextUpdate(t.s.redactedText)]);

    const main = new CancellationScope();
    this.mainScope = main;
    try {
      await main.run(() => this.phases());
    } catch (err) {
      if (err instanceof ContinueAsNewNeeded) return await this.continueAsNew();
      if (!isCancellation(err)) throw err;
      // Cancelling the workflow, or a close request, ends the ticket cleanly as closed.
      await CancellationScope.nonCancellable(async () => {
        if (t.log.reservedSeq !== null)
          t.log.fill(t.log.reservedSeq, 'error', { reason: 'drafting cancelled: the ticket was closed' }, nowIso());
        t.close(this.closeRequest?.reason ?? 'cancelled', this.closeRequest?.by ?? 'system');
      });
    } finally {
      this.mainScope = null;
    }
    this.showStep('done');
    await CancellationScope.nonCancellable(() => this.quiesce('end'));
    const s = t.s;
    return {
      ticketId: s.ticketId,
      status: s.status,
      lastSeq: s.lastSeq,
      closeReason: s.closeReason,
      verdict: s.verdict,
    };
  }

  private async phases(): Promise<void> {
    const { t } = this.c;
    for (;;) {
      const phase = t.work.phase;
      if (phase === 'done') return;
      this.showStep(phase);
      let next: Phase;
      try {
        next = await steps[phase](this.c);
      } catch (err) {
        if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
        next = automationFailed(this.c, phase, err);
      }
      // Published with the next step's first activity or wait: one batch for all a step says in between.
      t.work.phase = next;
    }
  }

  /** The Web UI's current details; runs recorded before the patch show none. */
  private showStep(step: Phase): void {
    if (this.details) setCurrentDetails(ticketDetails(this.c.t.s, step));
  }

  /** Every handler done and every event published (a handler may emit while the outbox drains). */
  private async quiesce(why: 'end' | 'continue-as-new'): Promise<void> {
    const { outbox } = this.c;
    if (this.c.legacy && why === 'end') {
      await condition(allHandlersFinished);
      await outbox.settled();
      return;
    }
    if (this.c.legacy) {
      // One condition, not two awaits: an update accepted while the outbox drains must finish in this run.
      await condition(() => allHandlersFinished() && outbox.idle());
      return;
    }
    for (;;) {
      await outbox.settled();
      await condition(allHandlersFinished);
      if (outbox.idle()) return;
    }
  }

  private shouldContinueAsNew(): boolean {
    return workflowInfo().continueAsNewSuggested || this.handlers.handled >= this.maxMessagesPerRun;
  }

  private async continueAsNew(): Promise<never> {
    await this.quiesce('continue-as-new');
    const { t } = this.c;
    t.s.runs += 1;
    const { carried: _carried, ...rest } = this.input;
    const carried: { state: Ticket; work: typeof t.work } = { state: t.s, work: { ...t.work, nextSeq: t.log.next } };
    return continueAsNew<typeof ticketWorkflow>({ ...rest, text: '', carried });
  }
}

export type { TicketInput, TicketOutcome, Ticket };
