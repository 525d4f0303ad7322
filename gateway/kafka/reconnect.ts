/**
 * The wait between two attempts of the gateway's consumer: the breaker's backoff, cut short once the broker
 * is seen coming back.
 *
 * Why: the backoff doubles while the broker is down (up to KAFKA_BACKOFF_MAX, 30 s), so after an outage of
 * 10-15 s the consumer slept up to 16 s more while the workers, which retry on their own, had already
 * published everything. Those records then reached subscribers only that much later; the chaos run counted
 * them as missing at subscribers whose ticket had closed meanwhile (issue 10, defect 2). So during the wait
 * the broker is probed (cheaply, every `probeMs`) and the wait ends at the first answer after the broker was
 * seen unreachable. A broker that just came back may still refuse the join (its groups loading), so that
 * state lasts until the consumer fetches again, for at most `maxEarlyRetries` early attempts; a failure
 * while the broker never went away (a group error, say) waits its whole backoff: never a tight loop.
 */
import { errorChain } from './error-chain';

export interface ReconnectWaitOptions {
  /** How often the broker is probed during a wait; 0 turns probing off (the plain backoff). */
  probeMs: number;
  /** True when the broker answered (a metadata request, say); must not throw. */
  probe: () => Promise<boolean>;
  /** Early attempts allowed per outage (default 5); then the plain backoff again. */
  maxEarlyRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type WaitOutcome = 'elapsed' | 'broker back' | 'stopped';

const NETWORK_ERRORS = new Set(['KafkaJSConnectionError', 'NetworkError']);
const unreachable = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection (error|timeout)|closed connection/i;

/** Whether a consumer failure says the broker could not be reached. */
export function looksUnreachable(err: unknown): boolean {
  for (const e of errorChain(err)) {
    if (NETWORK_ERRORS.has(e.name) || (e as { code?: unknown }).code === 'PLT_KFK_NETWORK') return true;
    if (unreachable.test(e.message)) return true;
  }
  return false;
}

export class ReconnectWait {
  /** The broker was last seen unreachable (by a failure or a probe) and not seen answering since. */
  private brokerDown = false;
  private earlyRetries = 0;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly o: ReconnectWaitOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
    this.now = o.now ?? Date.now;
  }

  /** Called when the consumer fetches again: the outage is over. */
  noteSuccess(): void {
    this.brokerDown = false;
    this.earlyRetries = 0;
  }

  /** Called with each consumer failure, before `wait`. */
  noteFailure(err: unknown): void {
    if (looksUnreachable(err)) this.brokerDown = true;
  }

  /** Waits `ms`, or less when the broker comes back, or until `stopped` resolves. */
  async wait(ms: number, stopped: Promise<void>): Promise<WaitOutcome> {
    const until = this.now() + ms;
    let stop = false;
    void stopped.then(() => (stop = true));
    const step = this.o.probeMs > 0 ? this.o.probeMs : ms;
    while (!stop) {
      const left = until - this.now();
      if (left <= 0) return 'elapsed';
      await Promise.race([this.sleep(Math.min(step, left)), stopped]);
      if (stop) break;
      if (this.o.probeMs <= 0 || this.now() >= until) continue;
      if (!(await this.o.probe())) this.brokerDown = true;
      else if (this.brokerDown && this.earlyRetries < (this.o.maxEarlyRetries ?? 5)) {
        this.earlyRetries++;
        return 'broker back';
      }
    }
    return 'stopped';
  }
}
