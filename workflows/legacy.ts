/**
 * How runs recorded before the `kickedOutbox` patch behave, kept so their histories replay: a publish loop
 * running beside the phases, and waits that start a new timer each time they wake.
 */
import { CancellationScope, condition, log } from '@temporalio/workflow';
import type { EventLog } from './event-log';
import { PUBLISH_BATCH, type Outbox } from './outbox';
import { publishing } from './proxies';
import { failureMessage, nowMs } from './util';

export class LoopOutbox implements Outbox {
  private publishing = false;

  constructor(
    private readonly ticketId: string,
    private readonly log: EventLog,
  ) {}

  /** Starts the loop; it outlives a cancellation, since the closing events still have to reach Kafka. */
  start(): void {
    void CancellationScope.nonCancellable(() => this.loop());
  }

  kick(): void {}

  unstarted(): boolean {
    return false;
  }

  handOff(): never {
    throw new Error('runs recorded before the kicked outbox drain it before drafting');
  }

  handedOver(): void {}

  async settled(): Promise<void> {
    await condition(() => this.idle());
  }

  idle(): boolean {
    return this.log.outbox.length === 0 && !this.publishing;
  }

  private async loop(): Promise<void> {
    for (;;) {
      await condition(() => this.log.outbox.length > 0);
      const batch = this.log.outbox.slice(0, PUBLISH_BATCH);
      this.publishing = true;
      try {
        await publishing.publishEvents(batch);
        this.log.take(batch.length);
      } catch (err) {
        log.error('events could not be published', {
          ticketId: this.ticketId,
          reason: failureMessage(err),
          seqs: batch.map((e) => e.seq),
        });
        this.log.take(batch.length);
      } finally {
        this.publishing = false;
      }
    }
  }
}

/** Waits for `ready` (true) or the deadline (false); a new timer each time it wakes. */
export async function legacyWaitUntil(
  ready: () => boolean,
  deadlineMs: number | undefined,
  canNeeded: () => boolean,
  onCan: () => never,
): Promise<boolean> {
  for (;;) {
    if (ready()) return true;
    if (canNeeded()) onCan();
    if (deadlineMs === undefined) {
      await condition(() => ready() || canNeeded());
      continue;
    }
    const left = deadlineMs - nowMs();
    if (left <= 0) return false;
    const woke = await condition(() => ready() || canNeeded(), left);
    if (!woke && !ready()) return false;
  }
}
