/**
 * Per-principal limits (keyed by the token's subject): ticket creation, messages, feedback and stream opens
 * each have a token bucket of N per window, shared by every instance through the bucket store (buckets.ts),
 * and a principal may hold at most `maxStreams` open streams. Over a limit the caller gets 429 with
 * Retry-After. The open-stream cap is shared too, as leases that expire when their gateway stops renewing
 * them (stream-slots.ts).
 */
import type { Config } from '../../core/config';
import type { BucketStore } from './buckets';
import type { StreamSlots } from './stream-slots';

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
  /** Reserves one of `key`'s open-stream slots (every instance's count); throws RateLimited at the cap. */
  openStream(key: string): Promise<string>;
  /** Gives the slot of `openStream`'s lease back: its stream closed, or its upgrade did not happen. */
  closeStream(leaseId: string): void;
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
  slots: StreamSlots,
  onStoreError: (err: unknown) => void = () => undefined,
): RateLimits {
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
    openStream: (key) => slots.reserve(key),
    closeStream: (leaseId) => slots.release(leaseId),
  };
}
