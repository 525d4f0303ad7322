/**
 * The records the benchmark sends: ordinary `message` events whose only data is the send time `t` (whole
 * microseconds on the shared monotonic clock, see clock.ts). `data` is the envelope's last field, so every
 * gateway frame ends in `"t":<digits>}}}` and a client can read the stamp from the frame's tail without
 * decoding the frame (see stamp.ts).
 */
import { EVENT_SCHEMA_VERSION, type TicketEvent } from '../core/events';

export function benchTicketId(runTag: string, index: number): string {
  return `b${runTag}-${index}`;
}

export function benchEvent(ticketId: string, seq: number, at: string, tUs: number): TicketEvent {
  return { v: EVENT_SCHEMA_VERSION, ticketId, seq, type: 'message', at, data: { t: tUs } };
}

/** Assigns seq numbers per ticket, increasing across phases (the hub drops anything at or below its frontier). */
export class SeqCounter {
  private readonly next = new Map<string, number>();

  take(ticketId: string): number {
    const seq = (this.next.get(ticketId) ?? 0) + 1;
    this.next.set(ticketId, seq);
    return seq;
  }
}

/** Spreads records round-robin over tickets so each ticket's subscribers get an equal share. */
export function ticketForRecord(tickets: readonly string[], recordIndex: number): string {
  return tickets[recordIndex % tickets.length]!;
}
