/**
 * Gets the ticket's events to Kafka, in seq order, at least once.
 *
 * Why publishes start only where events are emitted: a person's update and an activity's completion can reach
 * the worker in one workflow task, and a worker that starts cold may apply them in a different order than the
 * replay later does (issue 10: the stuck ticket). A publish started *because another publish completed* is
 * then a command on the wrong side of the update's acceptance, and the history never replays. So a batch is
 * started by the step or the handler that emitted its events (`kick`), and a completion only marks events as
 * published. Batches may overlap: each starts at the oldest unpublished event, so Kafka never sees an event
 * before the ones numbered below it (repeats are dropped by seq downstream).
 */
import { CancellationScope, condition, log } from '@temporalio/workflow';
import type { Alert, TicketEvent } from '../core/events';
import type { EventLog } from './event-log';
import { publishing } from './proxies';
import type { Ticket } from './state';
import { failureMessage, nowIso } from './util';

export const PUBLISH_BATCH = 100;

export interface Outbox {
  /** Starts a publish of whatever was emitted and is not on its way yet (no-op when nothing is). */
  kick(): void;
  /** Resolves once everything emitted so far is published. */
  settled(): Promise<void>;
  /** Nothing waiting and nothing in flight. */
  idle(): boolean;
}

export class KickedOutbox implements Outbox {
  /** Highest seq included in a started batch. */
  private sentUpTo = 0;
  private inFlight = 0;

  constructor(
    private readonly ticketId: string,
    private readonly log: EventLog,
  ) {}

  kick(): void {
    // Beyond a batch's reach, newer events wait for the acks (settled() kicks again).
    const batch = this.log.outbox.slice(0, PUBLISH_BATCH);
    if (batch.length === 0 || batch[batch.length - 1]!.seq <= this.sentUpTo) return;
    this.sentUpTo = Math.max(this.sentUpTo, batch[batch.length - 1]!.seq);
    this.inFlight += 1;
    // Not cancellable: a ticket closed mid-publish still owes Kafka its events.
    void CancellationScope.nonCancellable(() => this.publish(batch));
  }

  async settled(): Promise<void> {
    for (;;) {
      this.kick();
      await condition(() => this.idle() || this.hasUnsent());
      if (this.idle()) return;
    }
  }

  idle(): boolean {
    return this.log.outbox.length === 0 && this.inFlight === 0;
  }

  private hasUnsent(): boolean {
    const pending = this.log.outbox;
    return pending.length > 0 && pending[pending.length - 1]!.seq > this.sentUpTo && this.inFlight === 0;
  }

  private async publish(batch: TicketEvent[]): Promise<void> {
    try {
      await publishing.publishEvents(batch);
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

/** Alerts go to their own topic at once: the main loop awaits them (they are rare and must not be lost). */
export async function sendAlert(
  s: Pick<Ticket, 'ticketId' | 'orgId'>,
  kind: Alert['kind'],
  data: Record<string, unknown>,
  queue?: string,
): Promise<void> {
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
