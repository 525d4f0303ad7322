/**
 * The activities of proposed side effects (issue 11): running one a person confirmed, once the reply is
 * approved, and writing the reply from what happened. Split from index.ts to keep each module small.
 */
import {
  proposedActionSchema,
  toolRunSchema,
  type ProposalRecord,
  type ProposedAction,
  type ToolRun,
} from '../core/domain';
import type { Logger } from '../core/logger';
import type { CheckedReply } from './drafting/check';
import { finalReply } from './drafting/final';
import type { Intelligence, TicketContext } from './ports';

type Runner = <T>(name: string, ticketId: string | undefined, fn: (log: Logger) => Promise<T>) => Promise<T>;

/**
 * Where proposals are counted (the worker's metrics): kinds and outcomes only. A person's decision is applied
 * in the workflow, which tells it through its sink (worker-ops/metrics.ts proposalSinks).
 */
export interface ProposalObserver {
  proposal(kind: ProposedAction['kind'], outcome: 'proposed' | 'preapproved' | 'executed' | 'failed'): void;
  decided(kind: ProposedAction['kind'], decision: 'confirm' | 'decline'): void;
}

export function proposalActivities(intel: Intelligence, run: Runner, observer?: ProposalObserver) {
  return {
    /** Idempotent per ticket: a retried attempt finds its own refund and reports it again. */
    async executeProposal(ctx: TicketContext, proposal: ProposedAction): Promise<ToolRun> {
      return run('executeProposal', ctx.ticketId, async (log) => {
        const result = toolRunSchema.parse(await intel.agents.execute(ctx, proposedActionSchema.parse(proposal)));
        log.info('proposal executed', { proposalId: proposal.id, ok: result.ok });
        observer?.proposal(proposal.kind, result.ok ? 'executed' : 'failed');
        return result;
      });
    },

    async finalReply(
      ctx: TicketContext,
      text: string,
      runs: ToolRun[],
      proposals: ProposalRecord[],
      options?: { byPerson?: boolean },
    ): Promise<CheckedReply> {
      return run('finalReply', ctx.ticketId, async (log) => {
        const checked = await finalReply(
          text,
          runs.map((r) => toolRunSchema.parse(r)),
          proposals,
          intel.guardrail,
          options,
        );
        if (checked.violation) log.warn('final reply refused', { violation: checked.violation });
        return checked;
      });
    },
  };
}
