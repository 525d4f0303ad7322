/**
 * The server child's stalls over a phase: garbage-collection pauses (by kind) and the event loop's delay.
 * A latency tail on a steady rate is a stall somewhere; these say whether it was the collector or the
 * loop being busy, which a CPU profile alone shows only in total.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';

export interface StallReading {
  /** Major (mark-compact) collections: count, summed and longest pause in ms. */
  majorGcs: number;
  majorGcMs: number;
  /** All collections (scavenges and incremental steps included). */
  gcs: number;
  gcMs: number;
  maxGcMs: number;
  /** How late the event loop ran a 10 ms timer (its own wake-ups must not perturb the phase): p99, max in ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export class StallWatch {
  private reading = StallWatch.empty();
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      this.reading.gcs++;
      this.reading.gcMs += e.duration;
      this.reading.maxGcMs = Math.max(this.reading.maxGcMs, e.duration);
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        this.reading.majorGcs++;
        this.reading.majorGcMs += e.duration;
      }
    }
  });
  private delay: IntervalHistogram | undefined;

  start(): void {
    this.reading = StallWatch.empty();
    this.observer.observe({ entryTypes: ['gc'] });
    this.delay = monitorEventLoopDelay({ resolution: 10 });
    this.delay.enable();
  }

  stop(): StallReading {
    this.observer.disconnect();
    const d = this.delay;
    this.delay = undefined;
    d?.disable();
    return {
      ...this.reading,
      loopDelayP99Ms: d ? d.percentile(99) / 1e6 : 0,
      loopDelayMaxMs: d ? d.max / 1e6 : 0,
    };
  }

  private static empty(): StallReading {
    return { majorGcs: 0, majorGcMs: 0, gcs: 0, gcMs: 0, maxGcMs: 0, loopDelayP99Ms: 0, loopDelayMaxMs: 0 };
  }
}
