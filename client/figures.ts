/**
 * The desk's figures for the analytics page, counted by Temporal visibility (the record of every ticket,
 * answered without a worker): tickets per day, per topic and per status over a window, and the open
 * queues now. Every figure is one count query on closed lists of values, so nothing a caller sends is
 * spliced into a query but a validated topic and a whole number of days.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { ticketStatuses, topics } from '../core/domain';
import type { OutcomeFigures } from '../core/outcome-figures';
import type { QueueSample } from '../activities/memory/queue-samples';
import { ticketQueueKey, ticketReviewDueKey, ticketStatusKey, ticketTopicKey } from '../workflows/search-attributes';
import { isUnavailable, unavailable } from './errors';
import { CONSOLE_QUEUES } from './list';
import { WORKFLOW_TYPE } from './ticket-query';

export const MAX_FIGURE_DAYS = 31;

export const figuresQuery = z.strictObject({
  days: z.coerce
    .number({ error: 'days must be a number' })
    .int()
    .min(1, `days must be 1 to ${MAX_FIGURE_DAYS}`)
    .max(MAX_FIGURE_DAYS, `days must be 1 to ${MAX_FIGURE_DAYS}`)
    .default(7),
  topic: z.enum(topics, { error: `topic must be one of ${topics.join(', ')}` }).optional(),
});
export type FiguresQuery = z.input<typeof figuresQuery>;

export interface DeskFigures {
  from: string;
  to: string;
  topic: string | null;
  /** Tickets opened in the window. */
  total: number;
  /** Of those, resolved or closed (answered and done). */
  resolved: number;
  /** Of those, still running. */
  open: number;
  perDay: { day: string; count: number }[];
  byTopic: Record<string, number>;
  byStatus: Record<string, number>;
  /** Open tickets per console queue right now (whatever the window). */
  queues: Record<string, number>;
  /** Open tickets whose pending review is past its SLA now (of the topic, if one): breaches still running. */
  overdueReviews: number;
}

/**
 * What GET /v1/analytics answers: the counts above and, from the memory database, CSAT, the reopen rate and
 * the review time of the tickets finished in the same window (null where the gateway has no reader).
 */
export interface AnalyticsFigures extends DeskFigures {
  outcomes: OutcomeFigures | null;
  /** The open queues as the gateways sampled them in the window, oldest first (every topic). */
  queueSizes: QueueSample[] | null;
}

const DAY_MS = 24 * 3600_000;

export function createDeskFigures(client: Client) {
  async function count(query: string): Promise<number> {
    try {
      return (await client.workflow.count(query)).count;
    } catch (err) {
      throw isUnavailable(err) ? unavailable(err) : err;
    }
  }

  async function tally<K extends string>(keys: readonly K[], query: (k: K) => string): Promise<Record<K, number>> {
    const counts = await Promise.all(keys.map((k) => count(query(k))));
    return Object.fromEntries(keys.map((k, i) => [k, counts[i]!])) as Record<K, number>;
  }

  async function deskFigures(raw: FiguresQuery = {}, now = Date.now()): Promise<DeskFigures> {
    const q = figuresQuery.parse(raw);
    // Whole UTC days, today included, so a day's bar means the same on every reload.
    const end = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
    const start = end - q.days * DAY_MS;
    const iso = (t: number) => new Date(t).toISOString();
    const base = [
      `WorkflowType = '${WORKFLOW_TYPE}'`,
      `ExecutionStatus != 'ContinuedAsNew'`,
      ...(q.topic ? [`${ticketTopicKey.name} = '${q.topic}'`] : []),
    ].join(' AND ');
    const within = (from: number, to: number) => `${base} AND StartTime >= '${iso(from)}' AND StartTime < '${iso(to)}'`;
    const window = within(start, end);
    const days = Array.from({ length: q.days }, (_, i) => start + i * DAY_MS);
    const running = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;
    const topicClause = q.topic ? ` AND ${ticketTopicKey.name} = '${q.topic}'` : '';
    const overdue = `${running}${topicClause} AND ${ticketReviewDueKey.name} < '${iso(now)}'`;
    const [total, open, perDay, byTopic, byStatus, queues, overdueReviews] = await Promise.all([
      count(window),
      count(`${window} AND ExecutionStatus = 'Running'`),
      Promise.all(days.map(async (d) => ({ day: iso(d).slice(0, 10), count: await count(within(d, d + DAY_MS)) }))),
      tally(q.topic ? [q.topic] : topics, (t) => `${within(start, end)} AND ${ticketTopicKey.name} = '${t}'`),
      tally(ticketStatuses, (s) => `${window} AND ${ticketStatusKey.name} = '${s}'`),
      tally(CONSOLE_QUEUES, (queue) => `${running} AND ${ticketQueueKey.name} = '${queue}'`),
      count(overdue),
    ]);
    return {
      from: iso(start),
      to: iso(end),
      topic: q.topic ?? null,
      total,
      resolved: (byStatus.resolved ?? 0) + (byStatus.closed ?? 0),
      open,
      perDay,
      byTopic,
      byStatus,
      queues,
      overdueReviews,
    };
  }

  return { deskFigures };
}
