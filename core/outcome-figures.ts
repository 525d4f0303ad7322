/**
 * What the desk's outcome figures need of a finished ticket, and the figures themselves: CSAT (the share of
 * ratings of 4 or 5), the reopen rate, the review time p50/p90, the share sent as drafted, confirmed vs
 * assumed resolutions and SLA breaches. The memory step records one row per
 * ticket (activities/memory) and GET /v1/analytics reads them back for a window; the arithmetic is here once
 * for both engines. Pure: safe in the workflow sandbox, the gateway and the browser.
 */

import type { TicketFacts } from './domain';

export type { TicketFacts };

export interface OutcomeFigures {
  /** Tickets finished in the window (the memory step ran). */
  finished: number;
  ratings: number;
  /** Share of ratings that are 4 or 5 (0-1); null without ratings. */
  csat: number | null;
  reopened: number;
  /** Share of finished tickets reopened at least once (0-1); null without tickets. */
  reopenRate: number | null;
  reviews: number;
  reviewP50Ms: number | null;
  reviewP90Ms: number | null;
  /** Finished tickets whose sent reply was the draft, approved without an edit. */
  automated: number;
  /** Their share of the finished tickets that record it (0-1); null without such tickets. */
  automatedShare: number | null;
  /** Resolutions the customer confirmed, and those the re-check and the feedback timer assumed. */
  confirmed: number;
  assumed: number;
  /** Reviews decided after their SLA lapsed (each lapse once). */
  slaBreaches: number;
}

/** The nearest-rank percentile of sorted values (p in 0-1). */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export function outcomeFigures(rows: readonly TicketFacts[]): OutcomeFigures {
  const ratings = rows.flatMap((r) => r.ratings);
  const reviews = rows.flatMap((r) => r.reviewMs).sort((a, b) => a - b);
  const reopened = rows.filter((r) => r.reopens > 0).length;
  // Rows recorded before these facts were lack them: they count in neither side of a share.
  const judged = rows.filter((r) => r.automated !== undefined);
  const automated = judged.filter((r) => r.automated).length;
  const resolutions = rows.filter((r) => r.confirmed !== undefined);
  const confirmed = resolutions.filter((r) => r.confirmed).length;
  return {
    finished: rows.length,
    ratings: ratings.length,
    csat: ratings.length ? ratings.filter((r) => r >= 4).length / ratings.length : null,
    reopened,
    reopenRate: rows.length ? reopened / rows.length : null,
    reviews: reviews.length,
    reviewP50Ms: percentile(reviews, 0.5),
    reviewP90Ms: percentile(reviews, 0.9),
    automated,
    automatedShare: judged.length ? automated / judged.length : null,
    confirmed,
    assumed: resolutions.length - confirmed,
    slaBreaches: rows.reduce((n, r) => n + (r.slaBreaches ?? 0), 0),
  };
}
