/**
 * How long the chaos run waits for its tickets once the faults are over. A fixed settle time is a bet on the
 * machine (at load 20 a healthy ticket takes several times what it takes on a quiet one, and a CI machine is
 * loaded), so the wait comes from what the run itself shows: it lasts while any open ticket still moves (a
 * new event at any of its subscribers), and ends once the whole run has been quiet for `quietFactor` times the
 * longest quiet spell it had while tickets were moving (the outages included), and at least `minQuietMs`.
 * Tickets still open then are stuck. `capMs` bounds the wait whatever happens.
 */
import { delay } from '../infra/proc';

export interface SettleLimits {
  minQuietMs: number;
  quietFactor: number;
  capMs: number;
}

/** The run's heartbeat: `note()` on every new event a subscriber receives. */
export class Progress {
  private last = Date.now();
  /** The longest time between two events so far. */
  longestQuietMs = 0;

  note(): void {
    const now = Date.now();
    this.longestQuietMs = Math.max(this.longestQuietMs, now - this.last);
    this.last = now;
  }

  quietMs(): number {
    return Date.now() - this.last;
  }
}

/**
 * Waits for `driven` (every ticket of the scenario seen to its end); calls `stop()` when the run has been
 * quiet too long or the cap is reached, so the driver leaves the open tickets as they are. Says why it stopped.
 */
export async function settle(
  driven: Promise<unknown>,
  progress: Progress,
  limits: SettleLimits,
  stop: () => void,
): Promise<string> {
  const capAt = Date.now() + limits.capMs;
  const ended = driven.then(() => true);
  while (!(await Promise.race([ended, delay(1_000).then(() => false)]))) {
    const quietLimit = Math.max(limits.minQuietMs, limits.quietFactor * progress.longestQuietMs);
    const quiet = progress.quietMs();
    if (quiet > quietLimit || Date.now() > capAt) {
      stop();
      await driven;
      return quiet > quietLimit
        ? `no ticket moved for ${(quiet / 1000).toFixed(0)}s (limit ${(quietLimit / 1000).toFixed(0)}s): the open ones are stuck`
        : `the ${limits.capMs / 1000}s cap was reached`;
    }
  }
  return 'every ticket reached its end';
}
