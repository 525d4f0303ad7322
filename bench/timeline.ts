/**
 * Per-record timelines of one phase, for finding what makes a steady rate's slow records (issue 15): with
 * BENCH_TIMELINE_DIR set, each process of the bench writes what it saw in the fixed-rate phase, every time on
 * the shared monotonic clock (clock.ts), so `bench/timeline-report.ts` can join them by the record's stamp:
 *   orchestrator  each send's stamp and the time the broker acknowledged it
 *   server        each record's stamp and the time the consumer handed it over; the server's GC pauses
 *   clients       each record's stamp and its last delivery
 * and the wall clock against the monotonic one, to place the broker's own GC log (`-Xlog:gc`) on the same axis.
 * Off (no directory), every call is a branch and nothing is kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { nowUs } from './clock';

/** The phase whose records are kept: the steady rate is where the tail is measured. */
const PHASE = 'fixed-rate';

export class Timeline {
  private readonly dir = process.env.BENCH_TIMELINE_DIR;
  private rows: number[] = [];
  private width = 0;
  private on = false;
  private count = 0;

  constructor(private readonly who: string) {}

  /** Starts keeping rows of `width` numbers when the phase is the steady rate. */
  begin(phase: string | undefined, width: number): void {
    this.on = this.dir !== undefined && phase === PHASE;
    this.rows = [];
    this.width = width;
  }

  get active(): boolean {
    return this.on;
  }

  add(a: number, b: number, c = 0, d = 0): void {
    if (!this.on) return;
    this.rows.push(a, b, c, d);
  }

  /** Writes what the phase kept (with `extra` beside it) and stops keeping. */
  end(extra: Record<string, unknown> = {}): void {
    if (!this.on || this.dir === undefined) return;
    this.on = false;
    const rows: number[][] = [];
    for (let i = 0; i < this.rows.length; i += 4) rows.push(this.rows.slice(i, i + this.width));
    this.rows = [];
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${this.who}-${process.pid}-${++this.count}.json`);
    const clocks = { wallMs: Date.now(), monoUs: nowUs() };
    fs.writeFileSync(file, JSON.stringify({ who: this.who, clocks, ...extra, rows }));
  }
}

/** The server's GC pauses on the monotonic clock: [startUs, durationUs, kind (1 major, 0 other)]. */
export class GcTimeline {
  private readonly timeline = new Timeline('gc');
  private readonly observer = new PerformanceObserver((list) => {
    // performance.now() and hrtime differ by a constant within a process: measured once per batch of entries.
    const offsetUs = nowUs() - performance.now() * 1000;
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      this.timeline.add(
        offsetUs + e.startTime * 1000,
        e.duration * 1000,
        kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 1 : 0,
      );
    }
  });

  begin(phase: string | undefined): void {
    this.timeline.begin(phase, 3);
    if (this.timeline.active) this.observer.observe({ entryTypes: ['gc'] });
  }

  end(extra: Record<string, unknown>): void {
    if (!this.timeline.active) return;
    this.observer.disconnect();
    this.timeline.end(extra);
  }
}
