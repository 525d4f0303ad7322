/**
 * How a ticket waits: for a person, for a deadline, or for both. A wait keeps one timer from start to end and
 * wakes only for what it waits for, or to publish what a handler emitted meanwhile (the phase loop is the only
 * code that starts a publish), so a publish completing during a wait never adds a command (see outbox.ts for
 * why that matters). When history grows large and nothing is ready, the wait ends the run
 * instead (ContinueAsNewNeeded): everything it depends on is in the carried state.
 */
import { CancellationScope, condition, sleep } from '@temporalio/workflow';
import type { ReleaseInput } from '../core/ticket-actions';
import type { ReviewDecision } from '../core/domain';
import { legacyWaitUntil } from './legacy';
import { sendAlert, type Outbox } from './outbox';
import type { TaskGuard } from './task-guard';
import type { TicketModel } from './ticket';
import { nowMs } from './util';

/** Thrown out of a wait when history is large: the run loop continues as new at the same phase. */
export class ContinueAsNewNeeded extends Error {}

export type PersonAnswer =
  { kind: 'decision'; decision: ReviewDecision } | { kind: 'release'; release: ReleaseInput } | { kind: 'woken' };

export class Waits {
  /**
   * `drain`: the wait publishes what handlers emit while it waits (runs recorded before `handlersOnlyRecord`
   * had their handlers start those publishes).
   */
  constructor(
    private readonly t: TicketModel,
    private readonly outbox: Outbox,
    private readonly legacy: boolean,
    private readonly canNeeded: () => boolean,
    private readonly guard: TaskGuard,
    private readonly drain: boolean,
  ) {}

  /** Waits for `ready` (true) or the deadline, in epoch ms (false). */
  async until(ready: () => boolean, deadlineMs?: number): Promise<boolean> {
    if (this.legacy) {
      return legacyWaitUntil(ready, deadlineMs, this.canNeeded, () => {
        throw new ContinueAsNewNeeded();
      });
    }
    this.outbox.kick();
    if (ready()) return true;
    if (this.canNeeded()) throw new ContinueAsNewNeeded();
    if (deadlineMs !== undefined && deadlineMs - nowMs() <= 0) return false;
    let lapsed = false;
    const timer = new CancellationScope();
    if (deadlineMs !== undefined) {
      void timer
        .run(() => this.guard.watch(sleep(deadlineMs - nowMs())))
        .then(
          () => (lapsed = true),
          () => undefined,
        );
    }
    const drain = () => this.drain && this.outbox.unstarted();
    try {
      for (;;) {
        await condition(() => ready() || lapsed || this.canNeeded() || drain());
        if (!drain()) break;
        this.outbox.kick();
      }
    } finally {
      if (deadlineMs !== undefined && !lapsed) timer.cancel();
    }
    if (ready()) return true;
    if (lapsed) return false;
    throw new ContinueAsNewNeeded();
  }

  /**
   * Waits for a person's decision (or release) and takes it; when the SLA lapses, escalates once and keeps waiting.
   * `wake`: something the step must act on while the person still decides (answered `woken` once their own
   * answer is taken care of: a decision or release waiting too comes first). Without it the wait is as recorded
   * before, so histories without the step's patch replay.
   */
  async person(wake?: () => boolean): Promise<PersonAnswer> {
    const { work, s } = this.t;
    const inbox = work.inbox;
    for (;;) {
      const got = await this.until(
        () => inbox.decision !== null || inbox.release !== null || (wake?.() ?? false),
        work.reviewDueAt ?? undefined,
      );
      const { decision, release } = inbox;
      if (decision) {
        inbox.decision = null;
        return { kind: 'decision', decision };
      }
      if (release) {
        inbox.release = null;
        return { kind: 'release', release };
      }
      if (wake?.()) return { kind: 'woken' };
      if (got) continue;
      work.reviewDueAt = null;
      const breach = this.t.slaBreached();
      await sendAlert(
        this.t,
        'review_sla_breached',
        { reason: breach.reason, urgency: s.urgency, draftVersion: breach.draftVersion },
        s.queue,
      );
    }
  }
}
