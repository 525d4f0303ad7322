/**
 * One gateway's side of the shared open-stream cap (leases.ts): a slot is reserved in the lease store before
 * the upgrade, so two opens at two instances cannot both take a principal's last slot; the instance renews all
 * its leases every third of the lease time and gives one back when its stream closes (or its upgrade does not
 * happen). A store that does not answer lets the stream through, as the buckets do: an outage of the limiter's
 * database must not become an outage of the streams.
 */
import crypto from 'node:crypto';
import type { Lease, LeaseStore } from './leases';
import { RateLimited } from './rate-limits';

export interface StreamSlots {
  /** Reserves one of `principal`'s slots; resolves its lease id, or throws RateLimited at the cap. */
  reserve(principal: string): Promise<string>;
  /** Gives the slot back; a no-op for an id already given back. */
  release(leaseId: string): void;
  /** Stops renewing and deletes this instance's leases (the gateway stops). */
  close(): Promise<void>;
}

export function createStreamSlots(o: {
  store: LeaseStore;
  instanceId: string;
  max: number;
  leaseMs: number;
  onStoreError: (err: unknown) => void;
  now?: () => number;
}): StreamSlots {
  const now = o.now ?? Date.now;
  // A restarted instance keeps its GATEWAY_INSTANCE_ID; the suffix keeps it from renewing its predecessor's
  // leases (those of the streams that died with it), which would then never expire.
  const owner = `${o.instanceId}#${crypto.randomUUID().slice(0, 8)}`;
  // Open streams' leases by id: renewal puts back any that a sweep took while it was late.
  const held = new Map<string, Lease>();
  const pending = new Set<Promise<void>>();
  let next = 0;
  let renewing = false;

  const track = (p: Promise<void>) => {
    const done = p.catch(o.onStoreError).finally(() => pending.delete(done));
    pending.add(done);
  };
  const timer = setInterval(
    () => {
      if (renewing) return;
      renewing = true;
      track(o.store.renew(owner, [...held.values()], now() + o.leaseMs).finally(() => (renewing = false)));
    },
    Math.max(100, Math.floor(o.leaseMs / 3)),
  );
  timer.unref();

  return {
    async reserve(principal) {
      const lease = { principal, instanceId: owner, streamId: `${owner}:${++next}` };
      let ok = true;
      // Tracked so close() waits for it: an acquire still in flight when the gateway stops would otherwise
      // insert its row after releaseAll, and the slot would stay taken until the lease ran out.
      const acquired = o.store.acquire(lease, o.max, now() + o.leaseMs);
      track(
        acquired.then(
          () => undefined,
          () => undefined, // reported below, once
        ),
      );
      try {
        ok = await acquired;
      } catch (err) {
        o.onStoreError(err);
      }
      // Retry-After is a hint here: a slot frees when one of the principal's streams closes.
      if (!ok) throw new RateLimited('concurrent_streams', 5);
      held.set(lease.streamId, lease);
      return lease.streamId;
    },
    release(leaseId) {
      if (held.delete(leaseId)) track(o.store.release(leaseId));
    },
    async close() {
      clearInterval(timer);
      await Promise.all(pending);
      held.clear();
      await o.store.releaseAll(owner).catch(o.onStoreError);
      await o.store.close().catch(o.onStoreError);
    },
  };
}
