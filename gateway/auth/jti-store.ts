/**
 * Remembers used ws-ticket ids until they expire, so each ticket opens exactly one stream. In memory per
 * instance: a ws-ticket is redeemed moments after it is minted, normally through the same load-balancer
 * path; a shared store (Redis SET NX PX) could implement the same interface across instances.
 */
export interface JtiStore {
  /** Marks `jti` used until `expiresAt` (epoch ms); false if it was already used. */
  consume(jti: string, expiresAt: number): boolean;
  readonly size: number;
}

export function createMemoryJtiStore(now: () => number = Date.now): JtiStore {
  const used = new Map<string, number>();
  let nextSweep = 0;
  function sweep(t: number): void {
    for (const [jti, exp] of used) if (exp <= t) used.delete(jti);
    nextSweep = t + 5_000;
  }
  return {
    consume(jti, expiresAt) {
      const t = now();
      if (t >= nextSweep) sweep(t);
      const prev = used.get(jti);
      if (prev !== undefined && prev > t) return false;
      // Keep it a little past expiry: the verifier accepts tokens within the clock tolerance.
      used.set(jti, expiresAt + 60_000);
      return true;
    },
    get size() {
      return used.size;
    },
  };
}
