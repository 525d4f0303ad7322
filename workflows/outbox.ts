/**
 * Gets the ticket's events to Kafka, in seq order, at least once.
 *
 * Why publishes start only from the phase loop: a person's update and an activity's completion can reach the
 * worker in one workflow task, and a worker that starts cold may apply them in a different order than the
 * replay later does (issue 10: the stuck ticket; task-guard.ts has the mechanism). A publish started *because
 * another publish completed* is then a command on the wrong side of the update's acceptance, and the history
 * never replays. So a batch is started only by the phase loop (`kick`: before each step activity, in every
 * wait, and in `settled`), never by a handler and never by a completion, which only marks events as
 * published. A wait or `settled` wakes for events a handler emitted, not for acks. Batches may overlap: each
 * starts at the oldest unpublished event, so Kafka never sees an event before the ones numbered below it
 * (repeats are dropped by seq downstream). One exception is left: beyond PUBLISH_BATCH waiting events, the
 * rest can only be reached once the first batch is acknowledged.
 */
import { CancellationScope, condition, log } from '@temporalio/workflow';
import type { Alert, TicketEvent } from '../core/events';
import type { EventLog } from './event-log';
import { publishing } from './proxies';
import type { TicketModel } from './ticket';
import { failureMessage, nowIso } from './util';

export const PUBLISH_BATCH = 100;

export interface Outbox {
  /** Starts a publish of whatever was emitted and is not on its way yet (no-op when nothing is). */
  kick(): void;
  /** Resolves once everything emitted so far is published. */
  settled(): Promise<void>;
  /** Nothing waiting and nothing in flight. */
  idle(): boolean;
  /** Emitted events within a batch's reach that no started batch carries yet (what a `kick` would start). */
  unstarted(): boolean;
  /**
   * Everything emitted and not yet acknowledged, handed to an activity that publishes it ahead of its own
   * events (drafting, ahead of its token previews); not kicked again unless something newer is emitted.
   */
  handOff(): TicketEvent[];
  /** The activity given `handOff()`'s events completed: they are on Kafka up to `upTo`. */
  handedOver(upTo: number): void;
}

export class KickedOutbox implements Outbox {
  /** Highest seq included in a started batch. */
  private sentUpTo = 0;
  private inFlight = 0;

  /**
   * `emitsOnly`: `settled` wakes for new events, never for an ack (runs recorded before `handlersOnlyRecord`
   * also woke when a publish completed with events left over).
   */
  constructor(
    private readonly ticketId: string,
    private readonly log: EventLog,
    private readonly track: <T>(p: Promise<T>) => Promise<T>,
    private readonly emitsOnly: boolean,
    /** Runs at every kick and hand-off: what else goes out with the events (the merged search attributes). */
    private readonly beforeKick: () => void = () => undefined,
  ) {}

  unstarted(): boolean {
    const batch = this.log.outbox.slice(0, PUBLISH_BATCH);
    return batch.length > 0 && batch[batch.length - 1]!.seq > this.sentUpTo;
  }

  kick(): void {
    this.beforeKick();
    // Beyond a batch's reach, newer events wait for the acks (settled() kicks again).
    if (!this.unstarted()) return;
    const batch = this.log.outbox.slice(0, PUBLISH_BATCH);
    this.sentUpTo = Math.max(this.sentUpTo, batch[batch.length - 1]!.seq);
    this.inFlight += 1;
    // Not cancellable: a ticket closed mid-publish still owes Kafka its events.
    void CancellationScope.nonCancellable(() => this.publish(batch));
  }

  async settled(): Promise<void> {
    for (;;) {
      this.kick();
      await condition(() => this.idle() || (this.emitsOnly ? this.unstarted() : this.hasUnsent()));
      if (this.idle()) return;
    }
  }

  idle(): boolean {
    return this.log.outbox.length === 0 && this.inFlight === 0;
  }

  handOff(): TicketEvent[] {
    this.beforeKick();
    const pending = [...this.log.outbox];
    if (pending.length > 0) this.sentUpTo = Math.max(this.sentUpTo, pending[pending.length - 1]!.seq);
    return pending;
  }

  handedOver(upTo: number): void {
    this.acknowledge(upTo);
  }

  private hasUnsent(): boolean {
    const pending = this.log.outbox;
    return pending.length > 0 && pending[pending.length - 1]!.seq > this.sentUpTo && this.inFlight === 0;
  }

  private async publish(batch: TicketEvent[]): Promise<void> {
    try {
      await this.track(publishing.publishEvents(batch));
    } catch (err) {
      // Only a non-retryable failure (a malformed event) gets here: drop it rather than block the ticket.
      log.error('events could not be published', {
        ticketId: this.ticketId,
        reason: failureMessage(err),
        seqs: batch.map((e) => e.seq),
      });
    } finally {
      this.inFlight -= 1;
      this.acknowledge(batch[batch.length - 1]!.seq);
    }
  }

  private acknowledge(upTo: number): void {
    const pending = this.log.outbox;
    let n = 0;
    while (n < pending.length && pending[n]!.seq <= upTo) n += 1;
    this.log.take(n);
  }
}

/**
 * Alerts go to their own topic at once: the main loop awaits them (they are rare and must not be lost). The
 * ticket's merged search attributes go first, so the queue an alert names already lists the ticket as it is.
 */
export async function sendAlert(
  t: Pick<TicketModel, 's' | 'attributes'>,
  kind: Alert['kind'],
  data: Record<string, unknown>,
  queue?: string,
): Promise<void> {
  t.attributes.flush();
  const s = t.s;
  await publishing.publishAlert({
    v: 1,
    kind,
    ticketId: s.ticketId,
    orgId: s.orgId,
    ...(queue ? { queue } : {}),
    at: nowIso(),
    data,
  });
}
