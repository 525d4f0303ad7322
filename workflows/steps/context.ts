/** What every step of the ticket gets: the ticket, how to wait, how to publish, and the run's settings. */
import type { Outbox } from '../outbox';
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
}

/** One phase of the ticket: does its work and answers the phase that follows. */
export type Step = (c: StepContext) => Promise<Phase>;

/** Who the activities act for. */
export function actor(c: StepContext) {
  const s = c.t.s;
  return { ticketId: s.ticketId, userId: s.userId, orgId: s.orgId };
}
