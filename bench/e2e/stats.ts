/** Percentiles of small samples, and CPU time by process over a measured stretch. */
import { processCpuMs } from '../proc-cpu';

export function percentile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const ms = (v: number | undefined) =>
  v === undefined ? 'n/a' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;

export type Pids = Record<string, number | undefined>;

/** CPU ms per named process since `start()`; 'load' is this process (driver or ceiling clients and worker). */
export class CpuMeter {
  private before = new Map<string, number>();
  private loadBefore = process.cpuUsage();

  constructor(private readonly pids: () => Pids) {}

  start(): void {
    this.loadBefore = process.cpuUsage();
    this.before = new Map(Object.entries(this.pids()).map(([name, pid]) => [name, processCpuMs(pid) ?? 0]));
  }

  /** CPU ms each used since start(). A process that restarted meanwhile reads as what its new self used. */
  stop(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids())) {
      const now = processCpuMs(pid) ?? 0;
      const was = this.before.get(name) ?? 0;
      out[name] = now >= was ? now - was : now;
    }
    const load = process.cpuUsage(this.loadBefore);
    out.load = (load.user + load.system) / 1000;
    return out;
  }
}
