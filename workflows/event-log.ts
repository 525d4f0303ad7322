/**
 * The ticket's durable event log: assigns seq gap-free from 1, keeps the events for the snapshot query and
 * queues them for publishing. Pure (no Temporal API), so it is unit-tested and replays deterministically.
 *
 * A draft reserves its seq before the drafting activity runs, because the live `token` previews carry that
 * number. Anything emitted while the reservation is open (a customer message arriving mid-draft) waits and is
 * numbered after the draft, so the log and the Kafka stream stay in strictly increasing seq order.
 */
import type { TicketEvent, TicketEventType } from '../core/events';
import { EVENT_SCHEMA_VERSION } from '../core/event-version';

export interface EventLogState {
  events: TicketEvent[];
  lastSeq: number;
}

export class EventLog {
  /** Events waiting to be published, in seq order. */
  readonly outbox: TicketEvent[] = [];
  private reserved: number | null = null;
  private deferred: { type: TicketEventType; data: Record<string, unknown>; at: string }[] = [];

  constructor(
    private readonly ticketId: string,
    private readonly target: EventLogState,
    private nextSeq: number,
  ) {}

  get next(): number {
    return this.nextSeq;
  }

  get reservedSeq(): number | null {
    return this.reserved;
  }

  emit(type: TicketEventType, data: Record<string, unknown>, at: string): void {
    if (this.reserved !== null) {
      this.deferred.push({ type, data, at });
      return;
    }
    this.append(this.nextSeq++, type, data, at);
  }

  /** Takes the next seq for an event recorded later with `fill` (the draft its tokens preview). */
  reserve(): number {
    if (this.reserved !== null) throw new Error(`seq ${this.reserved} is already reserved`);
    this.reserved = this.nextSeq++;
    return this.reserved;
  }

  /** Records the reserved event, then the ones that waited for it. */
  fill(seq: number, type: TicketEventType, data: Record<string, unknown>, at: string): void {
    if (this.reserved !== seq) throw new Error(`seq ${seq} is not the reserved one (${String(this.reserved)})`);
    this.append(seq, type, data, at);
    this.reserved = null;
    const waiting = this.deferred;
    this.deferred = [];
    for (const d of waiting) this.append(this.nextSeq++, d.type, d.data, d.at);
  }

  /** Takes up to `max` events to publish. */
  take(max: number): TicketEvent[] {
    return this.outbox.splice(0, max);
  }

  private append(seq: number, type: TicketEventType, data: Record<string, unknown>, at: string): void {
    const event: TicketEvent = { v: EVENT_SCHEMA_VERSION, ticketId: this.ticketId, seq, type, at, data };
    this.target.events.push(event);
    this.target.lastSeq = seq;
    this.outbox.push(event);
  }
}
