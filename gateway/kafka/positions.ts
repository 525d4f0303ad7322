/**
 * Where the gateway's consumer is in every partition of its topic: the next offset to hand to the fan-out.
 *
 * Known for every partition from the first join (the end offset then: the snapshot on connect covers the
 * past), advanced by delivery, and re-placed against the broker's log range before every later join. A
 * position outside the log's range (records removed by retention, a broker that lost its data) is a gap
 * Kafka cannot fill: the partition restarts at the log's start and the gap is reported, so its subscribers
 * can be sent a fresh snapshot instead of silence.
 */

export interface PartitionRange {
  partition: number;
  /** First offset still in the log. */
  low: string;
  /** The offset the next record will get. */
  high: string;
}

export class PartitionPositions {
  private readonly next = new Map<number, bigint>();
  /** The last offset delivered per partition, folded into `next` only when read (a BigInt per batch shows). */
  private readonly lastDelivered = new Map<number, string>();
  /** Changed since the last commit (positions are committed for visibility, not relied on). */
  private readonly dirty = new Set<number>();
  private placedOnce = false;

  /**
   * Places every partition against the log before a join. On the first placement each starts at its end; a
   * partition first seen later (the topic grew) starts at its beginning, since all of it is new. Returns
   * the partitions whose gap cannot be filled.
   */
  place(ranges: PartitionRange[]): number[] {
    const firstJoin = !this.placedOnce;
    this.placedOnce = true;
    const gaps: number[] = [];
    for (const r of ranges) {
      const low = BigInt(r.low);
      const high = BigInt(r.high);
      const at = this.current(r.partition);
      if (at === undefined) this.set(r.partition, firstJoin ? high : low);
      else if (at < low || at > high) {
        gaps.push(r.partition);
        this.set(r.partition, low);
      }
    }
    return gaps;
  }

  /** After handing `offset` to the fan-out. */
  delivered(partition: number, offset: string): void {
    this.lastDelivered.set(partition, offset);
    this.dirty.add(partition);
  }

  /** Where a (re)joined consumer must fetch `partition` from; undefined when never placed. */
  offsetOf(partition: number): string | undefined {
    return this.current(partition)?.toString();
  }

  /** Positions changed since the last call, to commit; `restore` puts back the ones whose commit failed. */
  takeDirty(): { partition: number; offset: string }[] {
    const out = [...this.dirty].map((partition) => ({ partition, offset: this.current(partition)!.toString() }));
    this.dirty.clear();
    return out;
  }

  restore(partitions: number[]): void {
    for (const p of partitions) this.dirty.add(p);
  }

  private current(partition: number): bigint | undefined {
    const last = this.lastDelivered.get(partition);
    if (last !== undefined) {
      this.lastDelivered.delete(partition);
      this.next.set(partition, BigInt(last) + 1n);
    }
    return this.next.get(partition);
  }

  private set(partition: number, offset: bigint): void {
    this.lastDelivered.delete(partition);
    this.next.set(partition, offset);
    this.dirty.add(partition);
  }
}
