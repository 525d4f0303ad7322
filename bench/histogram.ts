/**
 * A latency histogram in microseconds that clients fill on the hot path (one array increment per frame) and
 * the orchestrator merges across processes: 10 µs buckets up to 100 ms, then 1 ms buckets up to 60 s.
 * Percentiles come out with at most one bucket of error, which is well below what the phases resolve.
 */
const FINE_US = 10;
const FINE_LIMIT_US = 100_000;
const COARSE_US = 1_000;
const COARSE_LIMIT_US = 60_000_000;
const FINE_BUCKETS = FINE_LIMIT_US / FINE_US;
const BUCKETS = FINE_BUCKETS + (COARSE_LIMIT_US - FINE_LIMIT_US) / COARSE_US + 1;

/** Sparse form for IPC: [bucket index, count] pairs. */
export type SparseHistogram = [number, number][];

export class LatencyHistogram {
  private counts = new Uint32Array(BUCKETS);
  total = 0;
  maxUs = 0;

  record(us: number): void {
    const v = us < 0 ? 0 : us;
    const i =
      v < FINE_LIMIT_US
        ? Math.floor(v / FINE_US)
        : Math.min(BUCKETS - 1, FINE_BUCKETS + Math.floor((v - FINE_LIMIT_US) / COARSE_US));
    this.counts[i]! += 1;
    this.total++;
    if (v > this.maxUs) this.maxUs = v;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.maxUs = 0;
  }

  toSparse(): SparseHistogram {
    const out: SparseHistogram = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i]) out.push([i, this.counts[i]!]);
    return out;
  }

  add(sparse: SparseHistogram, maxUs = 0): void {
    for (const [i, n] of sparse) {
      this.counts[i]! += n;
      this.total += n;
    }
    if (maxUs > this.maxUs) this.maxUs = maxUs;
  }

  /** The upper edge of the bucket holding the q-quantile, in microseconds (undefined when empty). */
  quantileUs(q: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.maxUs, upperEdgeUs(i));
    }
    return this.maxUs;
  }
}

function upperEdgeUs(i: number): number {
  return i < FINE_BUCKETS ? (i + 1) * FINE_US : FINE_LIMIT_US + (i - FINE_BUCKETS + 1) * COARSE_US;
}
