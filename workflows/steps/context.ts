/** What every step of the ticket gets: the ticket, how to wait, how to publish, and the run's settings. */
import type { TicketEvent } from '../../core/events';
import type { Outbox } from '../outbox';
import type { PatchId } from '../patches';
import type { StepActivities } from '../proxies';
import type { Phase, TicketDurations, TicketInput } from '../state';
import type { TicketModel } from '../ticket';
import type { Waits } from '../waits';

export interface StepContext {
  t: TicketModel;
  input: TicketInput;
  outbox: Outbox;
  /** The activities, each call preceded by a kick of the outbox. */
  act: StepActivities;
  waits: Waits;
  /** A run recorded before the `kickedOutbox` patch: keep its command order. */
  legacy: boolean;
  /** Proposed side effects are kept and decided on the ticket, and run when the reply is approved (issue 11). */
  durableProposals: boolean;
  durations: Required<TicketDurations>;
  maxRedrafts: number;
  /** The patches a step follows, asked once at the run's start so no patch marker follows a local activity's. */
  shape: {
    localFindSop: boolean;
    publishFirst: boolean;
    ticketText: boolean;
    confirmRunsRevocation: boolean;
    /** `shape7`: the containment tools start no publish; the brief's activity carries the events. */
    quietContainment: boolean;
  };
  /** Asks a patch a step meets mid-run: always true in runs with `shape5`, which record no marker for it. */
  patched: (id: PatchId) => boolean;
}

/**
 * Under `publishFirst`, what the step's next activity publishes ahead of its own work (outbox.ts handOff);
 * otherwise nothing, and the call's kick publishes it.
 */
export function backlog(c: StepContext): TicketEvent[] {
  return c.shape.publishFirst ? c.outbox.handOff() : [];
}

/** The activity given `before` completed: those events are on Kafka. */
export function delivered(c: StepContext, before: TicketEvent[]): void {
  if (before.length > 0) c.outbox.handedOver(before[before.length - 1]!.seq);
}

/** One phase of the ticket: does its work and answers the phase that follows. */
export type Step = (c: StepContext) => Promise<Phase>;

/** Who the activities act for. */
export function actor(c: StepContext) {
  const s = c.t.s;
  return { ticketId: s.ticketId, userId: s.userId, orgId: s.orgId };
}
