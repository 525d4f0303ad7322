/**
 * Exponential backoff with a circuit breaker, as plain state so it is testable without a broker: each
 * failure doubles the wait (from `initialMs` up to `maxMs`, with a little jitter so a fleet does not
 * reconnect in lockstep); after `threshold` consecutive failures the breaker opens (the instance reports
 * not ready) and stays open until a success.
 */
export interface BreakerOptions {
  initialMs: number;
  maxMs: number;
  threshold: number;
  random?: () => number;
}

export class Breaker {
  private failures = 0;

  constructor(private readonly opts: BreakerOptions) {}

  get consecutiveFailures(): number {
    return this.failures;
  }

  get open(): boolean {
    return this.failures >= this.opts.threshold;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  fail(): number {
    this.failures++;
    const base = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** (this.failures - 1));
    const jitter = 1 + ((this.opts.random ?? Math.random)() - 0.5) * 0.2; // +-10%
    return Math.min(this.opts.maxMs, Math.round(base * jitter));
  }

  succeed(): void {
    this.failures = 0;
  }
}
