/**
 * Per-principal limits (keyed by the token's subject): ticket creation, messages, feedback and stream opens
 * each have a budget of N per window (rate-limiter-flexible), and a principal may hold at most
 * `maxStreams` open streams. Over a limit the caller gets 429 with Retry-After. Kept per instance: behind a
 * load balancer spreading a principal over n gateways the effective budget is up to n times the configured one.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../../core/config';

export type LimitName = 'tickets' | 'messages' | 'feedback' | 'streams';

export class RateLimited extends Error {
  constructor(
    readonly limit: LimitName | 'concurrent_streams',
    readonly retryAfterSec: number,
  ) {
    super(limit === 'concurrent_streams' ? 'too many open streams' : `too many ${limit} requests`);
    this.name = 'RateLimited';
  }
}

export interface RateLimits {
  /** Takes one unit of `name`'s budget for `key`; throws RateLimited when it is spent. */
  consume(name: LimitName, key: string): Promise<void>;
  /** Throws RateLimited when `key` already holds the maximum of open streams. */
  checkStreams(key: string): void;
  streamOpened(key: string): void;
  streamClosed(key: string): void;
}

/** The API routes with a budget, by `method pattern`. */
export const API_LIMITS: Record<string, LimitName> = {
  'post /v1/tickets': 'tickets',
  'post /v1/tickets/:id/messages': 'messages',
  'post /v1/tickets/:id/feedback': 'feedback',
};

export function createRateLimits(cfg: Config['limits']): RateLimits {
  const limiters = Object.fromEntries(
    (['tickets', 'messages', 'feedback', 'streams'] as const).map((n) => [
      n,
      new RateLimiterMemory({ points: cfg[n].points, duration: Math.max(1, Math.round(cfg[n].windowMs / 1000)) }),
    ]),
  ) as Record<LimitName, RateLimiterMemory>;
  const open = new Map<string, number>();
  return {
    async consume(name, key) {
      try {
        await limiters[name].consume(key);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        throw new RateLimited(name, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
      }
    },
    checkStreams(key) {
      // Retry-After here is a hint: a slot frees when one of the principal's streams closes.
      if ((open.get(key) ?? 0) >= cfg.maxStreams) throw new RateLimited('concurrent_streams', 5);
    },
    streamOpened(key) {
      open.set(key, (open.get(key) ?? 0) + 1);
    },
    streamClosed(key) {
      const n = (open.get(key) ?? 0) - 1;
      if (n > 0) open.set(key, n);
      else open.delete(key);
    },
  };
}
