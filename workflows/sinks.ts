/**
 * What the workflow tells the worker's metrics (a Temporal sink). The worker calls it once, when the code
 * runs live, and never while a history replays, so a decision replayed on another worker is not counted
 * twice. Kinds and decisions only: nothing of the ticket.
 */
import { proxySinks, type Sinks } from '@temporalio/workflow';
import type { ProposedAction } from '../core/domain';
import type { ProposalDecision } from '../core/ticket-actions';

export interface TicketMetricSinks extends Sinks {
  ticketMetrics: {
    proposalDecided(kind: ProposedAction['kind'], decision: ProposalDecision['decision']): void;
  };
}

export const { ticketMetrics } = proxySinks<TicketMetricSinks>();
