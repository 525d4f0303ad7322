/**
 * The facts the desk's outcome figures need (core/outcome-figures.ts), read from the ticket's own record when
 * the memory step runs: the ratings from its feedback events, each review's time from its `review_requested`
 * event to the decision in the review history, whether the reply went out as drafted, whether the customer
 * confirmed the fix, and the SLA breaches. Pure, from the state only: deterministic.
 */
import type { TicketFacts } from '../core/domain';
import type { Ticket } from './state';

export function ticketFacts(s: Ticket): TicketFacts {
  const requested = s.events.filter((e) => e.type === 'review_requested');
  const reviewMs = s.reviewHistory
    .filter((r) => r.action !== 'sla_breached')
    .flatMap((r) => {
      const at = Date.parse(r.at);
      const asked = requested.filter((e) => e.data.draftVersion === r.draftVersion && Date.parse(e.at) <= at).at(-1);
      return asked ? [at - Date.parse(asked.at)] : [];
    });
  const ratings = s.events.flatMap((e) =>
    e.type === 'message' && e.data.kind === 'feedback' && typeof e.data.rating === 'number' ? [e.data.rating] : [],
  );
  return {
    reopens: s.reopenCount,
    ratings,
    reviewMs,
    // Every reply a person wrote or edited is a draft of model 'human' (steps/people.ts); an approved draft is not.
    automated: s.reply !== null && s.draft !== null && s.draft.model !== 'human',
    confirmed: s.verdict?.resolved === true,
    slaBreaches: s.reviewHistory.filter((r) => r.action === 'sla_breached').length,
    sops: [...new Set(s.sops.map((x) => x.sopId))],
  };
}
