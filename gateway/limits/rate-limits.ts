/**
 * Per-principal limits (keyed by the token's subject): ticket creation, messages, feedback and stream opens
 * each have a token bucket of N per window, shared by every instance through the bucket store (buckets.ts),
 * and a principal may hold at most `maxStreams` open streams. Over a limit the caller gets 429 with
 * Retry-After. The open-stream cap is counted per instance: a crashed instance's sockets are gone with it,
 * and a shared count would keep them until someone swept them.
 */
import type { Config } from '../../core/config';
import type { BucketStore } from './buckets';

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

/**
 * `onStoreError` hears of a bucket store that did not answer; the request goes through then, since an outage
 * of the limiter's database must not become an outage of ticket creation.
 */
export function createRateLimits(
  cfg: Config['limits'],
  buckets: BucketStore,
  onStoreError: (err: unknown) => void = () => undefined,
): RateLimits {
  const open = new Map<string, number>();
  return {
    async consume(name, key) {
      const budget = cfg[name];
      let took;
      try {
        took = await buckets.take(`${name}:${key}`, { capacity: budget.points, windowMs: budget.windowMs });
      } catch (err) {
        onStoreError(err);
        return;
      }
      if (!took.ok) throw new RateLimited(name, Math.max(1, Math.ceil(took.retryAfterMs / 1000)));
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
