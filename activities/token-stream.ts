/**
 * A draft's token events on their way to Kafka: one produce at a time, each carrying every token written while
 * the one before was in flight (at most `max`). A model that writes the whole reply at once (the rules model)
 * costs one or two produces instead of one per fixed handful of tokens, each waiting for the broker's ack
 * before the next (issue 9: a ticket's Kafka round trips); a model that streams slowly still has each token
 * sent as soon as the broker is free, not held until a batch fills. Order is kept: produces never overlap.
 */
import type { TicketEvent } from '../core/events';

export class TokenStream {
  private readonly buffer: TicketEvent[] = [];
  private sending: Promise<void> | undefined;
  private failed: { error: unknown } | undefined;

  constructor(
    private readonly publish: (batch: TicketEvent[]) => Promise<void>,
    private readonly max: number,
    /** After each produce (the activity heartbeats there). */
    private readonly onSent: () => void,
  ) {}

  /** Queues a token; the answer settles once there is room again (a writer faster than the broker waits). */
  async push(event: TicketEvent): Promise<void> {
    if (this.failed) throw this.failed.error;
    this.buffer.push(event);
    this.pump();
    if (this.buffer.length >= this.max) await this.sending;
  }

  /** Resolves once every queued token is on Kafka; rejects with the first failed produce. */
  async drain(): Promise<void> {
    while (this.sending) await this.sending;
    if (this.failed) throw this.failed.error;
  }

  private pump(): void {
    if (this.sending || this.failed || this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, this.max);
    this.sending = this.publish(batch).then(
      () => {
        this.sending = undefined;
        this.onSent();
        this.pump();
      },
      (error: unknown) => {
        // Kept, not thrown here: the activity fails at its next push or at drain, and its retry sends again.
        this.failed = { error };
        this.sending = undefined;
      },
    );
  }
}
