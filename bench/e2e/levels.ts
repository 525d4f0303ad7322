/**
 * What `npm run bench:e2e` sends, and the per-principal budgets its stack runs with. The driver's tickets come
 * from a handful of customers and one agent, so the gateway's default limits (20 creates a minute per customer)
 * would answer most of a level with 429 and the driver's retries would stall tickets for the rest of the
 * window: the 03:28 run measured the rate limiter (POST p99 37.6 s at concurrency 10), not the ticket's path.
 * The bench measures the path, so its budgets cover everything it sends in one window; the table counts any
 * create that was retried all the same.
 */
export interface Level {
  concurrency: number;
  count: number;
}

export const WARM_UP_TICKETS = 3;

export function benchLevels(quick: boolean): Level[] {
  return quick
    ? [
        { concurrency: 1, count: 5 },
        { concurrency: 10, count: 20 },
      ]
    : [
        { concurrency: 1, count: 20 },
        { concurrency: 10, count: 60 },
        { concurrency: 50, count: 150 },
      ];
}

/**
 * Budgets no principal of the run can spend: every ticket of the run (warm-up included) from one customer, and
 * for the agent a stream and a reconnect per ticket, each within a single window.
 */
export function benchStackEnv(levels: Level[]): NodeJS.ProcessEnv {
  const tickets = WARM_UP_TICKETS + levels.reduce((n, l) => n + l.count, 0);
  const widest = Math.max(...levels.map((l) => l.concurrency));
  return {
    LOG_LEVEL: 'error',
    RATE_LIMIT_TICKETS: `${tickets}/1m`,
    RATE_LIMIT_STREAMS: `${4 * tickets}/1m`,
    MAX_STREAMS_PER_PRINCIPAL: String(4 * widest),
  };
}
